package io.asyncio4j.datagram;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import io.asyncio4j.transport.ExtraInfo;

/**
 * A UDP endpoint driven by the event loop: asyncio's {@code DatagramTransport}. The loop receives
 * datagrams as they arrive and hands each one, with its sender's address, to the transport's
 * {@link DatagramProtocol}; sends go out at once or wait in a queue, without ever blocking the loop.
 *
 * <p>Sends never suspend: {@link #sendto} sends the datagram at once if the socket takes it and
 * queues a copy otherwise; queued datagrams go out in order as the socket drains. The queue has a
 * high and a low water mark (64 KiB and 16 KiB by default): above the high mark the protocol's
 * {@link DatagramProtocol#pauseWriting()} is called, and once the queue has drained to the low mark,
 * {@link DatagramProtocol#resumeWriting()}. Send and receive errors go to
 * {@link DatagramProtocol#errorReceived} and do not close the endpoint. {@link #close()} sends the
 * queue first; {@link #abort()} drops it. The protocol's {@link DatagramProtocol#connectionLost} is
 * called exactly once, never from inside {@code close()}. All methods must be called on the loop's
 * thread (a task or a callback of the loop).
 *
 * <p>A <em>connected</em> endpoint (one made with a remote address) exchanges datagrams with that
 * peer only: it receives nothing from other addresses, and it learns of ICMP errors such as an
 * unreachable port through {@code errorReceived}.
 *
 * {@snippet :
 * DatagramTransport t = Datagrams.createDatagramEndpoint(Client::new, null, 0, "127.0.0.1", 9999);
 * t.sendto("ping".getBytes(UTF_8));   // connected: no address needed
 * }
 */
public interface DatagramTransport {

    /**
     * Sends a datagram: asyncio's {@code sendto}. Never suspends. The buffer's bytes are consumed
     * (its position moves to its limit); the caller may reuse it afterwards. A zero-length datagram
     * is sent too (asyncio 3.13), except on a connected endpoint, where the JDK cannot send one.
     * An I/O error, such as a datagram too long for the socket, goes to the protocol's
     * {@link DatagramProtocol#errorReceived} and the datagram is dropped.
     *
     * @param data the datagram's bytes, from position to limit
     * @param to the destination; on a connected endpoint {@code null} or the peer's address
     * @throws IllegalStateException if the transport is closing
     * @throws IllegalArgumentException if {@code to} is another address than a connected endpoint's
     *     peer, is {@code null} on an unconnected endpoint, or is not a resolved IP socket address
     * @throws UnsupportedOperationException for a zero-length datagram on a connected endpoint
     */
    void sendto(ByteBuffer data, SocketAddress to);

    /**
     * Sends a datagram; see {@link #sendto(ByteBuffer, SocketAddress)}. Never suspends.
     *
     * @param data the datagram's bytes (not kept)
     * @param to the destination; on a connected endpoint {@code null} or the peer's address
     */
    default void sendto(byte[] data, SocketAddress to) {
        sendto(ByteBuffer.wrap(data), to);
    }

    /**
     * Sends a datagram to the peer of a connected endpoint; see
     * {@link #sendto(ByteBuffer, SocketAddress)}. Never suspends.
     *
     * @param data the datagram's bytes (not kept)
     * @throws IllegalArgumentException if the endpoint is not connected
     */
    default void sendto(byte[] data) {
        sendto(ByteBuffer.wrap(data), null);
    }

    /** Closes the endpoint once the send queue is empty; stops receiving at once; idempotent. Never suspends. */
    void close();

    /** Closes the endpoint at once, dropping the send queue; idempotent. Never suspends. */
    void abort();

    /** {@return whether the transport is closing or closed} */
    boolean isClosing();

    /**
     * {@return how many bytes wait in the send queue} As in asyncio, each queued datagram counts its
     * length plus 8 bytes (a UDP header), so zero-length datagrams count too.
     */
    long getWriteBufferSize();

    /**
     * Sets the send queue's water marks. Never suspends.
     *
     * @param high the size above which the protocol is asked to pause writing
     * @param low the size at which it is asked to resume
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /** {@return the high water mark of the send queue} */
    int getWriteBufferHigh();

    /** {@return the low water mark of the send queue} */
    int getWriteBufferLow();

    /**
     * Returns information about the endpoint: asyncio's {@code get_extra_info}, with a typed key:
     * {@link ExtraInfo#SOCKNAME} (the local address), {@link ExtraInfo#PEERNAME} (the peer's
     * address of a connected endpoint, else {@code null}) and {@link ExtraInfo#SOCKET} (the
     * {@link java.nio.channels.DatagramChannel}). Never suspends.
     *
     * @param <T> the type of the information
     * @param key which information
     * @return the information, or {@code null} if this endpoint has none of that kind
     */
    <T> T getExtraInfo(ExtraInfo<T> key);

    /** {@return the protocol this transport hands its events to} */
    DatagramProtocol getProtocol();

    /**
     * Switches the protocol that receives this transport's events. Never suspends.
     *
     * @param protocol the new protocol
     */
    void setProtocol(DatagramProtocol protocol);
}
