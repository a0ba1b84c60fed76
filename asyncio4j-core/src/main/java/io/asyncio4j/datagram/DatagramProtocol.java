package io.asyncio4j.datagram;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Receives the events of a {@link DatagramTransport}: asyncio's {@code DatagramProtocol}, a set of
 * callbacks the loop calls on its thread, with no task switch per datagram.
 *
 * <p>Order: {@link #connectionMade} first, then {@link #datagramReceived} and {@link #errorReceived}
 * any number of times, then {@link #connectionLost} exactly once. Every method has a default that
 * does nothing, so a protocol implements only what it needs. An exception thrown from
 * {@code datagramReceived} or {@code errorReceived} is reported to the loop's exception handler and
 * the endpoint stays open, as in asyncio.
 *
 * {@snippet :
 * class Echo implements DatagramProtocol {
 *     private DatagramTransport transport;
 *     public void connectionMade(DatagramTransport t) { transport = t; }
 *     public void datagramReceived(ByteBuffer data, SocketAddress from) { transport.sendto(data, from); }
 * }
 * }
 */
public interface DatagramProtocol {

    /**
     * The endpoint is ready. Never suspends.
     *
     * @param transport the endpoint's transport
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived. The buffer belongs to the loop and is valid only during this call:
     * consume it, send it, or copy what you keep. A zero-length datagram arrives as an empty
     * buffer. Never suspends.
     *
     * @param data the datagram's bytes, from position to limit
     * @param from the sender's address
     */
    default void datagramReceived(ByteBuffer data, SocketAddress from) {
    }

    /**
     * A send or receive failed: asyncio's {@code error_received}. Such errors do not close the
     * endpoint. On a connected endpoint an ICMP error from the peer shows up here, typically as a
     * {@link java.net.PortUnreachableException} when nothing listens on the peer's port. Never
     * suspends.
     *
     * @param error the error, usually an {@link java.io.IOException}
     */
    default void errorReceived(Throwable error) {
    }

    /**
     * The endpoint is closed. Never suspends.
     *
     * @param error why, or {@code null} after {@link DatagramTransport#close()} or
     *     {@link DatagramTransport#abort()}
     */
    default void connectionLost(Throwable error) {
    }

    /** The transport's send queue went above its high water mark: stop sending for now. Never suspends. */
    default void pauseWriting() {
    }

    /** The transport's send queue drained to its low water mark: sending may go on. Never suspends. */
    default void resumeWriting() {
    }
}
