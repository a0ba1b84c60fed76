package io.asyncio4j.transport;

import java.nio.ByteBuffer;

/**
 * A protocol that receives into buffers of its own: asyncio's {@code BufferedProtocol}. Instead
 * of handing over the loop's buffer, a plain TCP or Unix transport reads from the socket straight
 * into the buffer {@link #getBuffer} returns, then calls {@link #bufferUpdated}: no copy, and
 * the protocol decides where bytes land (a ring buffer, a preallocated frame, a file region).
 *
 * {@snippet :
 * class Counting implements BufferedProtocol {
 *     private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
 *     long total;
 *     public ByteBuffer getBuffer(int sizeHint) { return buffer.clear(); }
 *     public void bufferUpdated(int nbytes) { total += nbytes; }
 * }
 * }
 *
 * <p>A transport that must decrypt or otherwise transform what it reads (TLS) still delivers
 * through {@link #dataReceived}, whose default here copies the bytes into the protocol's buffers
 * the same way, as asyncio's SSL layer does. Order and the other callbacks are {@link Protocol}'s.
 */
public interface BufferedProtocol extends Protocol {

    /**
     * Returns the buffer the next bytes go into: the transport writes at its position, up to its
     * limit, and advances the position. Called before each read.
     *
     * @param sizeHint how many bytes are about to be delivered, or -1 when the transport does not
     *     know (a socket read)
     * @return a buffer with room for at least one byte
     */
    ByteBuffer getBuffer(int sizeHint);

    /**
     * Bytes were written into the buffer {@link #getBuffer} returned, ending at its position.
     *
     * @param nbytes how many, at least one
     */
    void bufferUpdated(int nbytes);

    /**
     * Copies {@code data} into buffers from {@link #getBuffer}, calling {@link #bufferUpdated}
     * for each: how a transport that has the bytes already (TLS, after decryption) delivers them.
     *
     * @param data the bytes, from position to limit; consumed
     * @throws IllegalStateException if {@link #getBuffer} returns a buffer with no room
     */
    @Override
    default void dataReceived(ByteBuffer data) {
        while (data.hasRemaining()) {
            ByteBuffer buffer = getBuffer(data.remaining());
            if (buffer == null || !buffer.hasRemaining()) {
                throw new IllegalStateException("getBuffer() returned a buffer with no room");
            }
            int n = Math.min(buffer.remaining(), data.remaining());
            buffer.put(data.slice(data.position(), n));
            data.position(data.position() + n);
            bufferUpdated(n);
        }
    }
}
