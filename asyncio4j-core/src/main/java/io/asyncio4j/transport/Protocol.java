package io.asyncio4j.transport;

import java.nio.ByteBuffer;

/**
 * The receiving side of a {@link Transport}: asyncio's {@code Protocol}, a set of callbacks the
 * loop calls on its thread. It is the fast path for servers: no task switch per read.
 *
 * <p>Order, as asyncio's: {@link #connectionMade} first, then {@link #dataReceived} any number of
 * times, then at most one {@link #eofReceived}, then {@link #connectionLost} exactly once. Every
 * method has a default that does nothing, so a protocol implements only what it needs.
 *
 * {@snippet :
 * class Echo implements Protocol {
 *     private Transport transport;
 *     public void connectionMade(Transport t) { transport = t; }
 *     public void dataReceived(ByteBuffer data) { transport.write(data); }
 * }
 * }
 */
public interface Protocol {

    /**
     * The connection is established.
     *
     * @param transport the connection's transport
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived. The buffer belongs to the loop and is valid only during this call: consume
     * it, write it, or copy what you keep.
     *
     * @param data the bytes, from position to limit
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer shut its write side down. Return {@code true} to keep the connection half-open
     * (and go on writing); {@code false} closes the transport.
     *
     * @return whether to keep the transport open
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed.
     *
     * @param error why, or {@code null} for a regular close or end of file
     */
    default void connectionLost(Throwable error) {
    }

    /** The transport's write buffer went above its high water mark: stop writing for now. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low water mark: writing may go on. */
    default void resumeWriting() {
    }
}
