package io.asyncio4j.http.internal.h1;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte array that heads and chunk framing are written into; reused per connection. */
public final class ByteSink {
    private byte[] buf;
    private int size;

    /**
     * Makes a sink.
     *
     * @param capacity the initial capacity
     */
    public ByteSink(int capacity) {
        buf = new byte[capacity];
    }

    /** {@return how many bytes were written} */
    public int size() {
        return size;
    }

    /** Forgets the bytes (keeps the array). */
    public void clear() {
        size = 0;
    }

    /** {@return the array (valid up to {@link #size()})} */
    public byte[] array() {
        return buf;
    }

    /** {@return a copy of the bytes} */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** {@return a buffer over the bytes (no copy; valid until the sink is written again)} */
    public ByteBuffer asBuffer() {
        return ByteBuffer.wrap(buf, 0, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /**
     * Appends bytes.
     *
     * @param b the bytes
     * @return this sink
     */
    public ByteSink put(byte[] b) {
        return put(b, 0, b.length);
    }

    /**
     * Appends bytes.
     *
     * @param b the array
     * @param off the first byte
     * @param len how many
     * @return this sink
     */
    public ByteSink put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /**
     * Appends a buffer's remaining bytes (its position advances).
     *
     * @param b the bytes
     * @return this sink
     */
    public ByteSink put(ByteBuffer b) {
        int n = b.remaining();
        ensure(n);
        b.get(buf, size, n);
        size += n;
        return this;
    }

    /**
     * Appends one byte.
     *
     * @param b the byte
     * @return this sink
     */
    public ByteSink put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /**
     * Appends a string of ISO-8859-1 characters, one byte each (checked by whoever made it).
     *
     * @param s the string
     * @return this sink
     */
    public ByteSink putLatin1(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
        size += n;
        return this;
    }

    /**
     * Appends a non-negative number in decimal.
     *
     * @param v the number
     * @return this sink
     */
    public ByteSink putDecimal(long v) {
        if (v < 10) {
            return put((int) ('0' + v));
        }
        int digits = 1;
        for (long x = v / 10; x > 0; x /= 10) {
            digits++;
        }
        ensure(digits);
        int end = size + digits;
        for (int i = end - 1; i >= size; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size = end;
        return this;
    }

    /**
     * Appends a non-negative number in lower-case hex.
     *
     * @param v the number
     * @return this sink
     */
    public ByteSink putHex(long v) {
        if (v == 0) {
            return put('0');
        }
        ensure(16);
        int start = size;
        while (v != 0) {
            int d = (int) (v & 15);
            buf[size++] = (byte) (d < 10 ? '0' + d : 'a' + d - 10);
            v >>>= 4;
        }
        reverse(start, size - 1);
        return this;
    }

    private void reverse(int i, int j) {
        while (i < j) {
            byte t = buf[i];
            buf[i++] = buf[j];
            buf[j--] = t;
        }
    }
}
