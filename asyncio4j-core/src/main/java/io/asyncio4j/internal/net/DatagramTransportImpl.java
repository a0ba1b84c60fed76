package io.asyncio4j.internal.net;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.datagram.DatagramProtocol;
import io.asyncio4j.datagram.DatagramTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.Objects;
import io.asyncio4j.datagram.Datagrams;
import io.asyncio4j.internal.loop.EventLoopImpl;

/*
 * Implementation overview
 *
 * A bound, non-blocking DatagramChannel on the loop's selector; SelectorTransport holds what it
 * shares with the stream transport (interest, flow control, the closing states). A connected
 * endpoint's channel is connected at the socket level, so the kernel
 * filters what arrives and reports ICMP errors (ECONNREFUSED -> PortUnreachableException on the next
 * receive or send); `peer` is then the connected address, else null.
 *
 * Receiving: on OP_READ the loop receives up to MAX_READS datagrams into its shared read buffer
 * (256 KiB, more than any UDP payload, so nothing is truncated) and hands each, with the sender's
 * address, to the protocol: no copy, no task switch. An IOException from receive goes to
 * errorReceived and ends this readiness; it never closes the endpoint (asyncio's rule).
 *
 * Sending: sendto() sends at once while the queue is empty. A non-blocking send either takes the
 * whole datagram or nothing (returns 0); nothing -> a copy joins the queue and OP_WRITE interest is
 * added until the queue drains. Each queued datagram counts its length + HEADER bytes; the protocol
 * is paused above the high water mark and resumed at the low one. A zero-length datagram cannot be
 * told apart from "socket full" (both return 0), so it counts as sent. The JDK sends nothing for an
 * empty write on a connected channel (IOUtil skips zero-length writes), so sendto() rejects one
 * there rather than drop it silently.
 *
 * Closing is SelectorTransport's; a failing connectionMade aborts with the error.
 *
 * Loop thread only: every field is touched by the loop's owner thread or its tasks, one at a time.
 */

/** The transport of a UDP endpoint. */
public final class DatagramTransportImpl extends SelectorTransport implements DatagramTransport {
    /** What each queued datagram adds to the buffer size besides its payload (asyncio 3.12+). */
    private static final int HEADER = 8;
    /** Datagrams received per readiness, so one busy endpoint cannot starve the loop. */
    private static final int MAX_READS = 32;

    private final DatagramChannel datagrams;
    private final SocketAddress peer;
    private DatagramProtocol protocol;

    private final ArrayDeque<Queued> pending = new ArrayDeque<>();

    /** A datagram waiting for the socket: its own copy of the bytes, and where it goes. */
    private record Queued(ByteBuffer data, SocketAddress to) {
    }

    private DatagramTransportImpl(EventLoopImpl loop, DatagramChannel channel, SocketAddress peer,
                                  DatagramProtocol protocol) {
        super(loop, channel);
        this.datagrams = channel;
        this.peer = peer;
        this.protocol = protocol;
    }

    /**
     * Wraps a bound (and possibly connected) channel in a transport, registers it for reading and
     * calls the protocol's connectionMade. Never suspends.
     *
     * @param loop the loop
     * @param channel the channel, bound, connected for a connected endpoint
     * @param protocol the protocol
     * @return the transport
     * @throws IOException if the channel cannot be configured or registered
     */
    public static DatagramTransportImpl start(EventLoopImpl loop, DatagramChannel channel, DatagramProtocol protocol)
            throws IOException {
        Objects.requireNonNull(protocol, "the protocol factory returned null");
        channel.configureBlocking(false);
        DatagramTransportImpl t = new DatagramTransportImpl(loop, channel, channel.getRemoteAddress(), protocol);
        t.register();
        try {
            protocol.connectionMade(t);
        } catch (Throwable e) {
            t.protocolFailed(e, "protocol.connectionMade() call failed");
        }
        return t;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void ioReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0 && !isClosing()) {
            readReady();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && !lossScheduled()) {
            writeReady();
        }
    }

    private void readReady() {
        for (int i = 0; i < MAX_READS && !isClosing(); i++) {
            ByteBuffer buf = loop.io().readBuffer();
            SocketAddress from;
            try {
                from = datagrams.receive(buf);
            } catch (IOException e) {
                errorReceived(e);
                return;
            }
            if (from == null) {
                return; // nothing more for now
            }
            buf.flip();
            try {
                protocol.datagramReceived(buf, from);
            } catch (Throwable e) {
                loop.callExceptionHandler(ExceptionContext.of("protocol.datagramReceived() call failed on " + this, e));
            }
        }
    }

    private void writeReady() {
        while (!pending.isEmpty()) {
            Queued q = pending.peekFirst();
            int size = q.data.remaining();
            try {
                if (send(q.data, q.to) == 0 && size > 0) {
                    break; // still full
                }
            } catch (IOException | IllegalArgumentException e) {
                // IllegalArgumentException: an address of the other family than the socket's
                dequeued(size);
                errorReceived(e);
                break; // what is left goes on the next readiness, as asyncio's _sendto_ready
            }
            dequeued(size);
        }
        maybeResumeWriting(); // first, as asyncio: resumeWriting may send more
        if (lossScheduled()) {
            return; // the protocol aborted from errorReceived or resumeWriting
        }
        if (pending.isEmpty()) {
            removeInterest(SelectionKey.OP_WRITE);
            queueDrained();
        }
    }

    private void dequeued(int size) {
        pending.pollFirst();
        pendingBytes -= size + HEADER;
    }

    /** One non-blocking send: the whole datagram or nothing. */
    private int send(ByteBuffer data, SocketAddress to) throws IOException {
        return peer != null ? datagrams.write(data) : datagrams.send(data, to);
    }

    private void errorReceived(Exception e) {
        try {
            protocol.errorReceived(e);
        } catch (Throwable failure) {
            loop.callExceptionHandler(ExceptionContext.of("protocol.errorReceived() call failed on " + this, failure));
        }
    }

    // ------------------------------------------------------------------ DatagramTransport

    @Override
    public void sendto(ByteBuffer data, SocketAddress to) {
        Objects.requireNonNull(data, "data");
        if (peer != null) {
            if (to != null && !to.equals(peer)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + peer
                        + " (the endpoint is connected), not " + to);
            }
            if (!data.hasRemaining()) {
                throw new UnsupportedOperationException("the JDK cannot send a zero-length datagram on a connected "
                        + "DatagramChannel: use an unconnected endpoint and sendto(data, address)");
            }
        } else {
            if (to == null) {
                throw new IllegalArgumentException("the endpoint is not connected: sendto() needs an address");
            }
            if (!(to instanceof InetSocketAddress isa) || isa.isUnresolved()) {
                throw new IllegalArgumentException("not a resolved IP socket address: " + to);
            }
        }
        if (isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (pending.isEmpty()) {
            int size = data.remaining();
            try {
                if (send(data, to) > 0 || size == 0) {
                    return;
                }
            } catch (IOException e) {
                data.position(data.limit()); // consumed, as on success: the datagram is dropped
                errorReceived(e);
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.addLast(new Queued(copy, to));
        pendingBytes += copy.remaining() + HEADER;
        addInterest(SelectionKey.OP_WRITE);
        maybePauseWriting();
    }

    @Override
    void clearQueue() {
        pending.clear();
    }

    @Override
    boolean queueEmpty() {
        return pending.isEmpty();
    }

    @Override
    void notifyLost(Throwable error) {
        protocol.connectionLost(error);
    }

    @Override
    void pauseProtocol() {
        protocol.pauseWriting(); // the current protocol: setProtocol may replace it
    }

    @Override
    void resumeProtocol() {
        protocol.resumeWriting();
    }

    @Override
    SocketAddress peer() {
        return peer;
    }

    @Override
    SocketAddress local() {
        try {
            return datagrams.getLocalAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    @Override
    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(DatagramProtocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return "<DatagramTransport " + (isLost() ? "closed" : isClosing() ? "closing" : "open") + " "
                + (isLost() ? "" : local()) + (peer != null ? " -> " + peer : "")
                + " buffered=" + pendingBytes + ">";
    }
}
