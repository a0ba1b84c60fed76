package io.asyncio4j.http.internal.h1;

import io.asyncio4j.http.Headers;

/** Byte classes of RFC 9110/9112 as lookup tables, and the codec's access to {@link Headers}. */
public final class Ascii {
    private Ascii() {
    }

    /** Set by Headers' static initializer (no initializer here: it must not be reset). */
    private static HeaderAppender appender;

    private static final boolean[] TCHAR = new boolean[256];
    /** Bytes allowed in a field value: HTAB, SP, VCHAR, obs-text. */
    private static final boolean[] FIELD_VCHAR = new boolean[256];
    /** Bytes allowed in a request target: VCHAR (0x21-0x7E). */
    private static final boolean[] TARGET = new boolean[256];
    private static final byte[] HEX = new byte[256];

    static {
        String special = "!#$%&'*+-.^_`|~";
        for (int c = 0; c < 128; c++) {
            TCHAR[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || special.indexOf(c) >= 0;
        }
        for (int c = 0; c < 256; c++) {
            FIELD_VCHAR[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
            TARGET[c] = c >= 0x21 && c <= 0x7e;
            HEX[c] = -1;
        }
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    /**
     * {@return whether a character is a tchar (a token's character, RFC 9110 §5.6.2)}
     * @param c the character
     */
    public static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    static boolean isTcharByte(byte b) {
        return TCHAR[b & 0xff];
    }

    static boolean isFieldByte(byte b) {
        return FIELD_VCHAR[b & 0xff];
    }

    static boolean isTargetByte(byte b) {
        return TARGET[b & 0xff];
    }

    /**
     * {@return the byte of a percent-escape's two hex digits at {@code s[i, i + 2)}, or -1}
     * @param s the text
     * @param i where the digits start
     */
    public static int hexPair(CharSequence s, int i) {
        if (i + 1 >= s.length()) {
            return -1;
        }
        int h = Character.digit(s.charAt(i), 16);
        int l = Character.digit(s.charAt(i + 1), 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    /** {@return the value of a hex digit, or -1} */
    static int hexValue(byte b) {
        return HEX[b & 0xff];
    }

    /**
     * {@return whether {@code s} is a token (non-empty, tchars only)}
     * @param s the string
     */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Adds a validated field to headers: installed by {@link Headers}, whose add() checks. */
    @FunctionalInterface
    public interface HeaderAppender {
        /**
         * Adds a field.
         *
         * @param headers the headers
         * @param name the name
         * @param value the value
         */
        void add(Headers headers, String name, String value);
    }

    /**
     * Called once by {@link Headers}' static initializer: how the codec adds fields it validated.
     *
     * @param a the appender
     */
    public static void installHeaderAppender(HeaderAppender a) {
        appender = a;
    }

    static void append(Headers h, String name, String value) {
        appender.add(h, name, value);
    }

    /**
     * Adds a field the caller knows to be valid (a constant name and value) without checking it.
     *
     * @param h the headers
     * @param name the name, a token
     * @param value the value, without control characters
     */
    public static void appendTrusted(Headers h, String name, String value) {
        appender.add(h, name, value);
    }

    static {
        new Headers(); // runs Headers' static initializer, which installs the appender
    }
}
