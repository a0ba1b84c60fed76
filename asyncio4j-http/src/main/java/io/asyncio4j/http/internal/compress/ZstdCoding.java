package io.asyncio4j.http.internal.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/*
 * Implementation overview
 *
 * zstd (RFC 8878) through zstd-jni's streaming decompression context (ZSTD_decompressStream on
 * heap buffers): `held` is the input not yet consumed, each decode() fills at most one output
 * piece, and when it filled it whole the native decoder may hold more (`pending`), so the caller
 * calls again with no input. A body may hold several frames one after another (RFC 8878 §3.1);
 * it is complete only if the last call ended a frame. The window is limited to 8 MiB, the most
 * RFC 9659 lets an HTTP zstd encoder use, which bounds the decoder's memory. Only this class and
 * Codecs' probe refer to zstd-jni.
 */

/** zstd through zstd-jni: the client's streaming decoder. */
final class ZstdCoding {
    private ZstdCoding() {
    }

    /** log2 of the largest window accepted: 8 MiB (RFC 9659 §3). */
    private static final int WINDOW_LOG_MAX = 23;

    /** {@return whether the native library loaded} */
    static boolean load() {
        Native.load();
        return Native.isLoaded();
    }

    static StreamDecoder decoder(int maxPiece) throws IOException {
        return new Decoding(maxPiece);
    }

    private static final class Decoding implements StreamDecoder {
        private ZstdDecompressCtx ctx;
        private final int maxPiece;
        private ByteBuffer held = ByteBuffer.allocate(0);
        private boolean pending;
        private boolean frameEnded;
        private boolean sawInput;

        Decoding(int maxPiece) throws IOException {
            this.maxPiece = maxPiece;
            try {
                ctx = new ZstdDecompressCtx();
                ctx.setLongMax(WINDOW_LOG_MAX);
            } catch (RuntimeException e) {
                close();
                throw new IOException("cannot make a zstd decoder: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] decode(byte[] data) throws IOException {
            if (ctx == null) {
                throw new IOException("the zstd decoder was closed");
            }
            if (data.length > 0) {
                sawInput = true;
                if (held.hasRemaining()) {
                    byte[] rest = Arrays.copyOfRange(held.array(), held.position(), held.limit() + data.length);
                    System.arraycopy(data, 0, rest, held.remaining(), data.length);
                    held = ByteBuffer.wrap(rest);
                } else {
                    held = ByteBuffer.wrap(data);
                }
            }
            if (!held.hasRemaining() && !pending) {
                return new byte[0]; // no call without input: it would start a frame and unend the last
            }
            ByteBuffer out = ByteBuffer.allocate(maxPiece);
            try {
                while (true) {
                    int in = held.remaining();
                    int at = out.position();
                    frameEnded = ctx.decompressByteBufferStream(out, held);
                    if (!out.hasRemaining()) {
                        // a full piece: the decoder may hold more, unless the frame ended flushed
                        // (a call then with no input would start a frame and unend this one)
                        pending = !frameEnded || held.hasRemaining();
                        break;
                    }
                    pending = false;
                    if (!held.hasRemaining() || (held.remaining() == in && out.position() == at)) {
                        break; // all consumed, or no progress (needs more input than is here)
                    }
                    // a frame ended with input left: the next call starts the next frame
                }
            } catch (RuntimeException e) { // ZstdException and the buffer checks
                close();
                throw new IOException("invalid zstd data: " + e.getMessage(), e);
            }
            return Arrays.copyOf(out.array(), out.position());
        }

        @Override
        public boolean hasPending() {
            return ctx != null && pending;
        }

        @Override
        public void finish() throws IOException {
            boolean complete = ctx != null && sawInput && frameEnded && !held.hasRemaining();
            close();
            if (!complete) {
                throw new IOException("the compressed body ended before its zstd stream did");
            }
        }

        @Override
        public void close() {
            if (ctx != null) {
                ctx.close();
                ctx = null;
            }
        }
    }
}
