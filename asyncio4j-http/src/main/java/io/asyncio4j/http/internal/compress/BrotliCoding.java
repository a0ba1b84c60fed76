package io.asyncio4j.http.internal.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/*
 * Implementation overview
 *
 * brotli (RFC 7932) through brotli4j's push API (DecoderJNI.Wrapper, the one Netty's
 * BrotliDecoder uses): input is copied into the decoder's own direct buffer and pushed; decoded
 * bytes are pulled, at most a piece at a time, whenever the native decoder has any. `held` keeps
 * the input not yet pushed (the direct buffer is smaller than a body's piece may be). After a pull
 * the wrapper reports NEEDS_MORE_INPUT as soon as the pushed input is all read, though what it read
 * may decode further (a full ring buffer): `pulled` makes the next step an empty push, and only if
 * that still asks for input does it really need some. The native
 * decoder's memory is freed by finish() or close(), whichever comes first. Only this class and
 * Codecs' probe refer to brotli4j, so nothing loads it until a probe found it.
 */

/** brotli through brotli4j: the client's streaming decoder and the server's encoder. */
final class BrotliCoding {
    private BrotliCoding() {
    }

    /** The size of the native decoder's input buffer. */
    private static final int INPUT_BUFFER = 16 * 1024;

    /**
     * The server's brotli quality: 5 of 0..11, a level for content compressed as it is sent (11,
     * the library's default, is for files compressed once and served many times).
     */
    private static final int QUALITY = 5;

    /** {@return whether the native library loaded} */
    static boolean load() {
        return Brotli4jLoader.isAvailable();
    }

    static StreamDecoder decoder(int maxPiece) throws IOException {
        return new Decoding(maxPiece);
    }

    static OutputStream encoder(OutputStream out) throws IOException {
        return new BrotliOutputStream(out, new Encoder.Parameters().setQuality(QUALITY), INPUT_BUFFER);
    }

    private static final class Decoding implements StreamDecoder {
        private static final byte[] NONE = new byte[0];

        private DecoderJNI.Wrapper wrapper;
        private final int maxPiece;
        private byte[] held = NONE;
        private int heldOff;
        private boolean done;
        private boolean pulled;

        Decoding(int maxPiece) throws IOException {
            this.maxPiece = maxPiece;
            this.wrapper = new DecoderJNI.Wrapper(INPUT_BUFFER);
        }

        @Override
        public byte[] decode(byte[] data) throws IOException {
            DecoderJNI.Wrapper w = open();
            if (data.length > 0) {
                if (done) {
                    throw new IOException("bytes after the end of the brotli stream");
                }
                hold(data);
            }
            ByteArrayOutputStream result = new ByteArrayOutputStream(Math.min(maxPiece, 16 * 1024));
            try {
                while (result.size() < maxPiece) {
                    switch (w.getStatus()) {
                        case NEEDS_MORE_OUTPUT -> take(w, result);
                        case OK -> w.push(0); // the wrapper's way to go on after a pull
                        case NEEDS_MORE_INPUT -> {
                            if (w.hasOutput()) {
                                take(w, result); // what is decoded goes out now, not once the ring is full
                            } else if (pulled) {
                                // after a pull the wrapper says "more input" once all input was read,
                                // even when what it read still decodes further (a full ring): go on
                                pulled = false;
                                w.push(0);
                            } else if (heldOff < held.length) {
                                ByteBuffer in = w.getInputBuffer();
                                in.clear();
                                int n = Math.min(in.remaining(), held.length - heldOff);
                                in.put(held, heldOff, n);
                                heldOff += n;
                                w.push(n);
                            } else {
                                return result.toByteArray();
                            }
                        }
                        case DONE -> {
                            if (w.hasOutput()) {
                                take(w, result);
                            } else {
                                done = true;
                                if (heldOff < held.length) {
                                    throw new IOException("bytes after the end of the brotli stream");
                                }
                                return result.toByteArray();
                            }
                        }
                        case ERROR -> throw new IOException("invalid brotli data");
                    }
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new IOException("the brotli decoder failed: " + e.getMessage(), e);
            }
            return result.toByteArray();
        }

        private void take(DecoderJNI.Wrapper w, ByteArrayOutputStream result) {
            pulled = true;
            ByteBuffer b = w.pull(maxPiece - result.size()); // a view of native memory: copied at once
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            result.writeBytes(copy);
        }

        private void hold(byte[] data) {
            if (heldOff == held.length) {
                held = data;
            } else {
                byte[] rest = new byte[held.length - heldOff + data.length];
                System.arraycopy(held, heldOff, rest, 0, held.length - heldOff);
                System.arraycopy(data, 0, rest, held.length - heldOff, data.length);
                held = rest;
            }
            heldOff = 0;
        }

        @Override
        public boolean hasPending() {
            DecoderJNI.Wrapper w = wrapper;
            if (w == null) {
                return false;
            }
            return switch (w.getStatus()) {
                case NEEDS_MORE_OUTPUT, OK, ERROR -> true; // ERROR: the next decode says so
                case NEEDS_MORE_INPUT -> w.hasOutput() || pulled || heldOff < held.length;
                case DONE -> w.hasOutput() || !done;
            };
        }

        @Override
        public void finish() throws IOException {
            boolean complete = wrapper != null && done;
            close();
            if (!complete) {
                throw new IOException("the compressed body ended before its brotli stream did");
            }
        }

        @Override
        public void close() {
            if (wrapper != null) {
                wrapper.destroy();
                wrapper = null;
            }
        }

        private DecoderJNI.Wrapper open() throws IOException {
            if (wrapper == null) {
                throw new IOException("the brotli decoder was closed");
            }
            return wrapper;
        }
    }
}
