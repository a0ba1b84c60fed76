package io.asyncio4j.http.internal.client;

import io.asyncio4j.http.internal.compress.Codecs;
import io.asyncio4j.http.internal.compress.StreamDecoder;
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
 * br and zstd come from optional libraries (internal.compress.Codecs): a StreamDecoder does the
 * work, and this class counts the size.
 *
 * Each decode() returns at most PIECE bytes, whatever the ratio: what is left stays in the
 * inflater (or the library's decoder), hasPending() says so, and the caller calls decode() with no
 * data until it is false (a 16 KiB piece of a bomb never becomes one 16 MiB array). `fed` and
 * `fedEnd` remember the array the inflater reads, because the deflate stream may end in a later
 * call than the one that gave it its input. A body that ends before its stream does is an error:
 * finish() says so.
 */

/** A streaming decoder of gzip, deflate, br or zstd bodies. */
public final class Decoder {
    /** The most decoded bytes one call to {@link #decode} returns. */
    static final int PIECE = 64 * 1024;

    private static final byte[] NONE = new byte[0];

    private enum Kind { GZIP, DEFLATE, LIBRARY }

    private enum State { HEADER, BODY, TRAILER, DONE }

    private final Kind kind;
    private State state;
    private Inflater inflater;
    private byte[] fed;
    private int fedEnd;
    private final StreamDecoder library;
    private final IOException broken;
    private boolean closed;
    private final CRC32 crc = new CRC32();
    private long size;
    private long memberSize;
    private byte[] pending = NONE;
    private final byte[] out = new byte[16 * 1024];
    private final long maxSize;

    private Decoder(Kind kind, long maxSize, StreamDecoder library, IOException broken) {
        this.kind = kind;
        this.maxSize = maxSize;
        this.library = library;
        this.broken = broken;
        this.state = State.HEADER;
    }

    /**
     * {@return a decoder for a Content-Encoding, or {@code null} for identity or one not supported
     * (br and zstd are supported only when their libraries are present)}
     * @param encoding the field's value
     * @param maxSize the most decoded bytes allowed (a guard against decompression bombs)
     */
    public static Decoder forEncoding(String encoding, long maxSize) {
        if (encoding == null) {
            return null;
        }
        String token = encoding.trim().toLowerCase(Locale.ROOT);
        return switch (token) {
            case "gzip", "x-gzip" -> new Decoder(Kind.GZIP, maxSize, null, null);
            case "deflate" -> new Decoder(Kind.DEFLATE, maxSize, null, null);
            default -> {
                try {
                    StreamDecoder d = Codecs.decoder(token, PIECE);
                    yield d == null ? null : new Decoder(Kind.LIBRARY, maxSize, d, null);
                } catch (IOException e) {
                    // a library that loaded but cannot make a decoder: the body's first read says so
                    yield new Decoder(Kind.LIBRARY, maxSize, null, e);
                }
            }
        };
    }

    /**
     * {@return the client's {@code Accept-Encoding}: {@code gzip, deflate}, then {@code br} and
     * {@code zstd} when their libraries are present}
     */
    public static String acceptEncoding() {
        return Codecs.acceptEncoding();
    }

    /**
     * {@return whether decoded output may be waiting without more input: call {@link #decode}
     * with no data until this is false, before the next piece or {@link #finish()}}
     */
    public boolean hasPending() {
        if (closed) {
            return false;
        }
        if (kind == Kind.LIBRARY) {
            return library != null && library.hasPending();
        }
        return state == State.BODY && inflater != null && !inflater.needsInput();
    }

    /**
     * Decodes a piece of the body.
     *
     * @param data the piece (empty to go on while {@link #hasPending()})
     * @return the decoded bytes (maybe none), at most 64 KiB
     * @throws IOException if the data is not valid for the encoding, or decodes to more than the
     *     most allowed
     */
    public byte[] decode(byte[] data) throws IOException {
        if (kind == Kind.LIBRARY) {
            if (broken != null) {
                throw broken;
            }
            byte[] d = library.decode(data);
            count(d.length);
            return d;
        }
        byte[] in = pending.length == 0 ? data : concat(pending, data);
        pending = NONE;
        ByteArrayOutputStream result = new ByteArrayOutputStream(Math.min(PIECE, Math.max(64, in.length * 3)));
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
                            fed = in;
                            fedEnd = in.length;
                            pos = in.length;
                        }
                        int n;
                        while (result.size() < PIECE
                                && (n = inflater.inflate(out, 0, Math.min(out.length, PIECE - result.size()))) > 0) {
                            result.write(out, 0, n);
                            if (kind == Kind.GZIP) {
                                crc.update(out, 0, n);
                            }
                            count(n);
                        }
                        if (inflater.needsDictionary()) {
                            throw new IOException("a deflate stream with a preset dictionary");
                        }
                        if (inflater.finished()) {
                            int left = inflater.getRemaining();
                            if (fed == in) {
                                pos = in.length - left;
                            } else { // the stream ended in a later call than the one that fed it
                                byte[] rest = java.util.Arrays.copyOfRange(fed, fedEnd - left, fedEnd);
                                in = concat(rest, java.util.Arrays.copyOfRange(in, pos, in.length));
                                pos = 0;
                            }
                            fed = null;
                            inflater.end();
                            state = kind == Kind.GZIP ? State.TRAILER : State.DONE;
                        } else if (inflater.needsInput() || result.size() >= PIECE) {
                            return result.toByteArray(); // more input wanted, or a full piece (hasPending)
                        }
                    }
                    case TRAILER -> {
                        if (in.length - pos < 8) {
                            pending = java.util.Arrays.copyOfRange(in, pos, in.length);
                            return result.toByteArray();
                        }
                        long crcValue = le32(in, pos);
                        long isize = le32(in, pos + 4);
                        if (crcValue != crc.getValue() || isize != (memberSize & 0xffffffffL)) {
                            throw new IOException("the gzip trailer does not match the data (CRC or length)");
                        }
                        pos += 8;
                        state = State.DONE;
                    }
                    case DONE -> {
                        if (kind == Kind.GZIP && pos < in.length) {
                            crc.reset(); // another member follows (concatenated gzip)
                            memberSize = 0;
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

    /** Counts decoded bytes against the most allowed. */
    private void count(int n) throws IOException {
        size += n;
        memberSize += n;
        if (size > maxSize) {
            throw new IOException("the decompressed body is larger than " + maxSize + " bytes");
        }
    }

    /**
     * Checks that the compressed stream ended with the body, and frees the decoder.
     *
     * @throws IOException if it is incomplete
     */
    public void finish() throws IOException {
        if (kind == Kind.LIBRARY) {
            if (broken != null) {
                throw broken;
            }
            library.finish();
            return;
        }
        if (state != State.DONE) {
            if (inflater != null) {
                inflater.end();
            }
            throw new IOException("the compressed body ended before its stream did");
        }
    }

    /** Frees the inflater or the library's decoder (a body abandoned midway). */
    public void close() {
        closed = true;
        if (library != null) {
            library.close();
        }
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
