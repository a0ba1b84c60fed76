package io.asyncio4j.http.internal.ws;

/**
 * An incremental UTF-8 validator (RFC 3629): bytes are fed in pieces, and a sequence split across
 * pieces (fragments of one text message) is checked as a whole. Overlong forms, surrogates
 * (U+D800..U+DFFF) and code points above U+10FFFF are invalid. Fails fast: the first byte that
 * cannot continue a valid text makes {@link #feed} return false.
 */
public final class Utf8Validator {
    /** Continuation bytes still expected by the sequence in progress (0: between characters). */
    private int need;
    /** The allowed range of the next byte when it is the first continuation byte. */
    private int lo = 0x80;
    private int hi = 0xBF;

    /** Forgets any sequence in progress (a new message). */
    public void reset() {
        need = 0;
        lo = 0x80;
        hi = 0xBF;
    }

    /**
     * Checks bytes that follow the ones fed before.
     *
     * @param b the array
     * @param off the first byte
     * @param len how many bytes
     * @return false if the bytes cannot be part of valid UTF-8 text
     */
    public boolean feed(byte[] b, int off, int len) {
        int need = this.need;
        int lo = this.lo;
        int hi = this.hi;
        int end = off + len;
        int i = off;
        while (i < end) {
            if (need == 0) {
                // the common case: a run of ASCII, eight bytes at a time would need VarHandles; a tight loop suffices
                while (i < end && b[i] >= 0) {
                    i++;
                }
                if (i == end) {
                    break;
                }
                int c = b[i++] & 0xFF;
                if (c >= 0xC2 && c <= 0xDF) {
                    need = 1;
                    lo = 0x80;
                    hi = 0xBF;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    need = 2;
                    lo = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                    hi = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
                } else if (c >= 0xF0 && c <= 0xF4) {
                    need = 3;
                    lo = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                    hi = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
                } else {
                    this.need = need;
                    return false; // C0, C1, F5..FF, or a stray continuation byte
                }
            } else {
                int c = b[i++] & 0xFF;
                if (c < lo || c > hi) {
                    return false;
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
            }
        }
        this.need = need;
        this.lo = lo;
        this.hi = hi;
        return true;
    }

    /** {@return whether the bytes fed so far end between characters (a complete text)} */
    public boolean complete() {
        return need == 0;
    }

    /**
     * {@return whether the bytes are complete, valid UTF-8}
     * @param b the array
     * @param off the first byte
     * @param len how many bytes
     */
    public static boolean isValid(byte[] b, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(b, off, len) && v.complete();
    }
}
