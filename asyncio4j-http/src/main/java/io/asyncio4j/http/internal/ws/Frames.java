package io.asyncio4j.http.internal.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455's constants and the small pure functions both sides share: opcodes, close codes,
 * masking, frame encoding and the handshake's accept value.
 */
public final class Frames {
    private Frames() {
    }

    /** A continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** A text frame. */
    public static final int TEXT = 0x1;
    /** A binary frame. */
    public static final int BINARY = 0x2;
    /** A close frame. */
    public static final int CLOSE = 0x8;
    /** A ping frame. */
    public static final int PING = 0x9;
    /** A pong frame. */
    public static final int PONG = 0xA;

    /** The largest payload of a control frame. */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The GUID of the handshake's accept value (RFC 6455 §1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * {@return whether a close code may be sent in a close frame (RFC 6455 §7.4: 1000-1003,
     * 1007-1014, and 3000-4999 for libraries and applications)}
     * @param code the code
     */
    public static boolean isValidCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * {@return the {@code Sec-WebSocket-Accept} value for a key}
     * @param key the client's {@code Sec-WebSocket-Key}
     */
    public static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] d = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /**
     * XORs bytes with a mask key in place (masking and unmasking are the same).
     *
     * @param b the array
     * @param off the first byte
     * @param len how many bytes
     * @param key the key, four bytes as an int (big-endian: the first key byte is the high byte)
     * @param keyPos the key byte the first byte is XORed with (0 to 3)
     */
    public static void mask(byte[] b, int off, int len, int key, int keyPos) {
        if (len <= 0) {
            return;
        }
        // rotate so that the key's byte keyPos comes first, then lay it out little-endian for the long view
        int k = Integer.rotateLeft(key, 8 * (keyPos & 3));
        int le = Integer.reverseBytes(k);
        long k8 = (le & 0xFFFFFFFFL) | ((long) le << 32);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            LONGS.set(b, i, (long) LONGS.get(b, i) ^ k8);
        }
        int shift = 24;
        for (; i < end; i++) {
            b[i] ^= (byte) (k >>> shift);
            shift -= 8;
        }
    }

    /**
     * {@return the length of a frame header}
     * @param payloadLength the payload's length
     * @param masked whether the frame is masked
     */
    public static int headerLength(long payloadLength, boolean masked) {
        int n = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? n + 4 : n;
    }

    /**
     * Encodes one frame into a new array: header and payload, masked when a key is given.
     *
     * @param opcode the opcode
     * @param fin whether this is the message's last frame
     * @param rsv1 the RSV1 bit (a compressed message's first frame)
     * @param payload the payload's array
     * @param off its first byte
     * @param len its length
     * @param masked whether to mask (the client side)
     * @param key the mask key (ignored unless masked)
     * @return the frame's bytes
     */
    public static byte[] encode(int opcode, boolean fin, boolean rsv1, byte[] payload, int off, int len,
                                boolean masked, int key) {
        int h = headerLength(len, masked);
        byte[] f = new byte[h + len];
        int p = writeHeader(f, opcode, fin, rsv1, len, masked, key);
        System.arraycopy(payload, off, f, p, len);
        if (masked) {
            mask(f, p, len, key, 0);
        }
        return f;
    }

    /**
     * Writes a frame header at the start of an array.
     *
     * @return the header's length (where the payload goes)
     */
    static int writeHeader(byte[] f, int opcode, boolean fin, boolean rsv1, long len, boolean masked, int key) {
        f[0] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int m = masked ? 0x80 : 0;
        int p;
        if (len <= 125) {
            f[1] = (byte) (m | (int) len);
            p = 2;
        } else if (len <= 0xFFFF) {
            f[1] = (byte) (m | 126);
            f[2] = (byte) (len >>> 8);
            f[3] = (byte) len;
            p = 4;
        } else {
            f[1] = (byte) (m | 127);
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
            p = 10;
        }
        if (masked) {
            f[p] = (byte) (key >>> 24);
            f[p + 1] = (byte) (key >>> 16);
            f[p + 2] = (byte) (key >>> 8);
            f[p + 3] = (byte) key;
            p += 4;
        }
        return p;
    }

    /**
     * {@return a close frame's payload: the code (big-endian) and the reason in UTF-8, or nothing
     * for code 1005 (no status)}
     * @param code the code
     * @param reason the reason (at most 123 bytes in UTF-8)
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    public static byte[] closePayload(int code, String reason) {
        if (code == 1005) {
            return new byte[0];
        }
        if (!isValidCloseCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4: 1000-1003, "
                    + "1007-1014, 3000-4999)");
        }
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > MAX_CONTROL_PAYLOAD - 2) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes in UTF-8, not " + r.length);
        }
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}
