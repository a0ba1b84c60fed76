package io.asyncio4j.http.internal.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/*
 * Implementation overview
 *
 * A streaming decoder of a Content-Encoding, fed the body's pieces as they arrive (so a large
 * compressed body never sits whole in memory). gzip (RFC 1952): the header is parsed by hand (its
 * optional fields may be split across pieces: the bytes wait in `pending` until it is whole), then
 * raw deflate through java.util.zip.Inflater, then the 8-byte trailer, whose CRC-32 and length are
 * checked; another member may follow (concatenated gzip). deflate: the zlib format (RFC 1950) as
 * the RFC says, or raw deflate as some servers send, told apart by the zlib header's check bits.
 * A body that ends before its stream does is an error: finish() says so.
 */

/** A streaming decoder of gzip or deflate bodies. */
public final class Decoder {
    private enum Kind { GZIP, DEFLATE }

    private enum State { HEADER, BODY, TRAILER, DONE }

    private final Kind kind;
    private State state;
    private Inflater inflater;
    private final CRC32 crc = new CRC32();
    private long size;
    private byte[] pending = new byte[0];
    private final byte[] out = new byte[16 * 1024];
    private final long maxSize;

    private Decoder(Kind kind, long maxSize) {
        this.kind = kind;
        this.maxSize = maxSize;
        this.state = State.HEADER;
    }

    /**
     * {@return a decoder for a Content-Encoding, or {@code null} for identity or one not supported}
     * @param encoding the field's value
     * @param maxSize the most decoded bytes allowed (a guard against decompression bombs)
     */
    public static Decoder forEncoding(String encoding, long maxSize) {
        if (encoding == null) {
            return null;
        }
        return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new Decoder(Kind.GZIP, maxSize);
            case "deflate" -> new Decoder(Kind.DEFLATE, maxSize);
            default -> null;
        };
    }

    /** {@return whether an encoding is one this decoder knows} */
    static boolean supported(String encoding) {
        return forEncoding(encoding, 1) != null;
    }

    /**
     * Decodes a piece of the body.
     *
     * @param data the piece
     * @return the decoded bytes (maybe none)
     * @throws IOException if the data is not valid for the encoding
     */
    public byte[] decode(byte[] data) throws IOException {
        byte[] in = pending.length == 0 ? data : concat(pending, data);
        pending = new byte[0];
        ByteArrayOutputStream result = new ByteArrayOutputStream(Math.max(64, in.length * 3));
        int pos = 0;
        try {
            while (pos < in.length || (state == State.BODY && !inflater.needsInput())) {
                switch (state) {
                    case HEADER -> {
                        int n = kind == Kind.GZIP ? gzipHeader(in, pos) : deflateHeader(in, pos);
                        if (n < 0) {
                            pending = java.util.Arrays.copyOfRange(in, pos, in.length);
                            return result.toByteArray();
                        }
                        pos += n;
                        state = State.BODY;
                    }
                    case BODY -> {
                        if (inflater.needsInput()) {
                            inflater.setInput(in, pos, in.length - pos);
                            pos = in.length;
                        }
                        int n;
                        while ((n = inflater.inflate(out)) > 0) {
                            result.write(out, 0, n);
                            size += n;
                            if (kind == Kind.GZIP) {
                                crc.update(out, 0, n);
                            }
                            if (size > maxSize) {
                                throw new IOException("the decompressed body is larger than " + maxSize + " bytes");
                            }
                        }
                        if (inflater.needsDictionary()) {
                            throw new IOException("a deflate stream with a preset dictionary");
                        }
                        if (inflater.finished()) {
                            int left = inflater.getRemaining();
                            pos = in.length - left;
                            inflater.end();
                            state = kind == Kind.GZIP ? State.TRAILER : State.DONE;
                        } else if (inflater.needsInput()) {
                            return result.toByteArray();
                        }
                    }
                    case TRAILER -> {
                        if (in.length - pos < 8) {
                            pending = java.util.Arrays.copyOfRange(in, pos, in.length);
                            return result.toByteArray();
                        }
                        long crcValue = le32(in, pos);
                        long isize = le32(in, pos + 4);
                        if (crcValue != crc.getValue() || isize != (size & 0xffffffffL)) {
                            throw new IOException("the gzip trailer does not match the data (CRC or length)");
                        }
                        pos += 8;
                        state = State.DONE;
                    }
                    case DONE -> {
                        if (kind == Kind.GZIP && pos < in.length) {
                            crc.reset(); // another member follows (concatenated gzip)
                            size = 0;
                            state = State.HEADER;
                        } else {
                            throw new IOException("bytes after the end of the compressed stream");
                        }
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("invalid compressed data: " + e.getMessage(), e);
        }
        return result.toByteArray();
    }

    /**
     * Checks that the compressed stream ended with the body.
     *
     * @throws IOException if it is incomplete
     */
    public void finish() throws IOException {
        if (state != State.DONE) {
            if (inflater != null) {
                inflater.end();
            }
            throw new IOException("the compressed body ended before its stream did");
        }
    }

    /** Frees the inflater (a body abandoned midway). */
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }

    private int deflateHeader(byte[] in, int pos) {
        if (in.length - pos < 2) {
            return -1;
        }
        int b0 = in[pos] & 0xff;
        int b1 = in[pos + 1] & 0xff;
        boolean zlib = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
        inflater = new Inflater(!zlib);
        return 0;
    }

    /** {@return the gzip header's length, or -1 if it is not all here} */
    private int gzipHeader(byte[] in, int pos) throws IOException {
        int n = in.length - pos;
        if (n < 10) {
            if (n >= 1 && (in[pos] & 0xff) != 0x1f || n >= 2 && (in[pos + 1] & 0xff) != 0x8b) {
                throw new IOException("not gzip data (bad magic bytes)");
            }
            return -1;
        }
        if ((in[pos] & 0xff) != 0x1f || (in[pos + 1] & 0xff) != 0x8b || in[pos + 2] != 8) {
            throw new IOException("not gzip data (bad magic bytes or method)");
        }
        int flags = in[pos + 3] & 0xff;
        int p = pos + 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (in.length - p < 2) {
                return -1;
            }
            int xlen = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8;
            p += 2 + xlen;
            if (p > in.length) {
                return -1;
            }
        }
        for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (p < in.length && in[p] != 0) {
                    p++;
                }
                if (p >= in.length) {
                    return -1;
                }
                p++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            p += 2;
            if (p > in.length) {
                return -1;
            }
        }
        inflater = new Inflater(true);
        return p - pos;
    }

    private static long le32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
