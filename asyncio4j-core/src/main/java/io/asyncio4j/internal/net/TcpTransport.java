package io.asyncio4j.internal.net;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.task.FutureImpl;

/*
 * Implementation overview
 *
 * A connected SocketChannel (TCP or Unix) on the loop's selector; SelectorTransport holds what it
 * shares with the UDP transport (interest, flow control, the closing states). Reading: on OP_READ the loop reads into its shared buffer and hands it to the
 * protocol (no copy, no task switch). Writing: write() sends at once while nothing is buffered and
 * buffers the rest (a copy, since callers reuse their buffers), adding OP_WRITE interest until the
 * buffer drains; the protocol is paused above the high water mark and resumed at the low one.
 * Closing: close() stops reading and, once the buffer is flushed, schedules lose(); abort() drops
 * the buffer and schedules lose() at once; an I/O error does the same with the error. lose()
 * closes the channel and calls connectionLost exactly once, always from its own loop entry.
 * Once both directions are shut down (our writeEof sent and the peer's end of file read, in either
 * order), the transport closes. write() after close()/abort()/writeEof() is a programming error
 * (IllegalStateException); after the connection failed, it is dropped silently as asyncio does, and
 * the protocol learns of the failure from connectionLost (a stream writer's drain() throws it).
 * Loop thread only.
 */

/** The transport of a stream socket. */
public final class TcpTransport extends SelectorTransport implements Transport {
    private static final int MAX_GATHER = 16;

    private final SocketChannel socket;
    private Protocol protocol;
    private final Consumer<TcpTransport> onLost;

    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    /** The gathering write's batch, reused (no allocation per flush); slots are cleared after use. */
    private final ByteBuffer[] batch = new ByteBuffer[MAX_GATHER];

    private boolean reading = true;
    private boolean readEof;
    private boolean eofRequested;
    private boolean eofSent;
    /** Closed by an I/O error or a failing protocol callback, not by the protocol's own close(). */
    private boolean failed;
    /** sendfile: waits until the buffer is flushed and the socket is writable (see awaitWritable). */
    private FutureImpl<Void> writable;
    private boolean sendfileInProgress;
    /** The addresses, kept from the start: asyncio's extra info outlives the connection. */
    private SocketAddress peer;
    private SocketAddress local;

    private TcpTransport(EventLoopImpl loop, SocketChannel channel, Protocol protocol, Consumer<TcpTransport> onLost) {
        super(loop, channel);
        this.socket = channel;
        this.protocol = protocol;
        this.onLost = onLost;
    }

    /**
     * Wraps a connected channel in a transport, registers it and calls the protocol's
     * connectionMade.
     *
     * @param loop the loop
     * @param channel the connected channel
     * @param protocol the protocol
     * @param onLost called once the connection is lost (a server's bookkeeping), or null
     * @return the transport
     * @throws IOException if the channel cannot be configured or registered
     */
    public static TcpTransport start(EventLoopImpl loop, SocketChannel channel, Protocol protocol,
                                     Consumer<TcpTransport> onLost) throws IOException {
        channel.configureBlocking(false);
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        TcpTransport t = new TcpTransport(loop, channel, protocol, onLost);
        t.register();
        try {
            t.peer = channel.getRemoteAddress();
            t.local = channel.getLocalAddress();
        } catch (IOException e) {
            // reset already: the first read reports it
        }
        try {
            protocol.connectionMade(t);
        } catch (Throwable e) {
            t.fatal(e, "protocol.connectionMade() call failed");
        }
        return t;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void ioReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0 && !lossScheduled()) {
            readReady();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && !lossScheduled()) {
            writeReady();
        }
    }

    private void readReady() {
        if (!reading || readEof || isClosing()) {
            return; // closing: nothing more is delivered, even if the select reported it ready
        }
        if (protocol instanceof BufferedProtocol bp) {
            readIntoProtocolBuffer(bp);
            return;
        }
        ByteBuffer buf = loop.io().readBuffer();
        int n;
        try {
            n = socket.read(buf);
        } catch (IOException e) {
            fatal(e, null);
            return;
        }
        if (n > 0) {
            buf.flip();
            try {
                protocol.dataReceived(buf);
            } catch (Throwable e) {
                fatal(e, "protocol.dataReceived() call failed");
            }
        } else if (n < 0) {
            endOfStream();
        }
    }

    /** asyncio's {@code _read_ready__get_buffer}: the socket is read into the protocol's buffer. */
    private void readIntoProtocolBuffer(BufferedProtocol bp) {
        ByteBuffer buf;
        try {
            buf = bp.getBuffer(-1);
            if (buf == null || !buf.hasRemaining()) {
                throw new IllegalStateException("getBuffer() returned a buffer with no room");
            }
        } catch (Throwable e) {
            fatal(e, "protocol.getBuffer() call failed");
            return;
        }
        int n;
        try {
            n = socket.read(buf);
        } catch (IOException e) {
            fatal(e, null);
            return;
        }
        if (n > 0) {
            try {
                bp.bufferUpdated(n);
            } catch (Throwable e) {
                fatal(e, "protocol.bufferUpdated() call failed");
            }
        } else if (n < 0) {
            endOfStream();
        }
    }

    private void endOfStream() {
        readEof = true;
        removeInterest(SelectionKey.OP_READ);
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Throwable e) {
            fatal(e, "protocol.eofReceived() call failed");
            return;
        }
        if (!keepOpen || eofSent) {
            close(); // the protocol asked for it, or both directions are done
        }
    }

    private void writeReady() {
        try {
            flush();
        } catch (IOException e) {
            fatal(e, null);
            return;
        }
        maybeResumeWriting(); // first, as asyncio: the protocol may write more
        if (pending.isEmpty() && !lossScheduled()) {
            removeInterest(SelectionKey.OP_WRITE);
            FutureImpl<Void> w = writable;
            if (w != null) {
                writable = null;
                if (!w.isDone()) { // a cancelled sendfile's waiter is done before its finally runs
                    w.setResult(null);
                }
            }
            if (eofRequested && !eofSent) {
                shutdownOutput();
            }
            queueDrained();
        }
    }

    private void flush() throws IOException {
        ByteBuffer[] b = batch;
        int n = 0;
        for (ByteBuffer p : pending) {
            if (n == MAX_GATHER) {
                break;
            }
            b[n++] = p;
        }
        long written;
        try {
            written = socket.write(b, 0, n);
        } finally {
            java.util.Arrays.fill(b, 0, n, null);
        }
        pendingBytes -= written;
        while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
            pending.pollFirst();
        }
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public void write(ByteBuffer data) {
        if (failed) {
            data.position(data.limit());
            return; // the connection failed: connectionLost tells the protocol (asyncio drops it too)
        }
        if (isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (eofRequested) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (sendfileInProgress) {
            throw new IllegalStateException("unable to write; sendfile is in progress");
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (pending.isEmpty()) {
            try {
                socket.write(data);
            } catch (IOException e) {
                fatal(e, null);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.addLast(copy);
        pendingBytes += copy.remaining();
        addInterest(SelectionKey.OP_WRITE);
        maybePauseWriting();
    }

    @Override
    public void writeEof() {
        if (isClosing() || eofRequested) {
            return;
        }
        eofRequested = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        eofSent = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            fatal(e, null);
            return;
        }
        if (readEof) {
            close(); // both directions are done
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /** An I/O error or a failing protocol callback: close at once, report protocol failures. */
    void fatal(Throwable error, String protocolFailure) {
        if (lossScheduled()) {
            return; // already closing at once: the first error is the one reported
        }
        failed = true;
        if (protocolFailure != null) {
            protocolFailed(error, protocolFailure);
        } else {
            forceClose(socketFailure(error));
        }
    }

    /**
     * One failure type per cause: the JDK reports a reset as a SocketException from a read but as
     * a plain IOException ("Connection reset by peer", "Broken pipe") from a write, so which one a
     * protocol saw depended on whether it was reading or writing (over TLS, mostly writing).
     * Every socket failure reaches the protocol as a SocketException, the original as its cause.
     */
    static Throwable socketFailure(Throwable error) {
        if (error instanceof SocketException || !(error instanceof IOException)) {
            return error;
        }
        SocketException e = new SocketException(error.getMessage());
        e.initCause(error);
        return e;
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
        FutureImpl<Void> w = writable;
        if (w != null) {
            writable = null;
            if (!w.isDone()) {
                w.setException(error != null ? error : new java.net.SocketException("Connection lost"));
            }
        }
        try {
            protocol.connectionLost(error);
        } catch (Throwable e) {
            loop.callExceptionHandler(ExceptionContext.of("protocol.connectionLost() call failed on " + this, e));
        }
        if (onLost != null) {
            onLost.accept(this);
        }
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
        return local;
    }

    @Override
    public void pauseReading() {
        if (!reading || isClosing()) {
            return;
        }
        reading = false;
        removeInterest(SelectionKey.OP_READ);
    }

    @Override
    public void resumeReading() {
        if (reading || isClosing()) {
            return;
        }
        reading = true;
        if (!readEof) {
            addInterest(SelectionKey.OP_READ);
        }
    }

    @Override
    public boolean isReading() {
        return reading && !isClosing();
    }

    // ------------------------------------------------------------------ sendfile

    /**
     * Waits until the write buffer is flushed and the socket can take more bytes: sendfile's
     * wait when {@code transferTo} returned 0. Suspends; checks for cancellation.
     *
     * @throws IOException if the connection is lost or closing
     */
    public void awaitWritable() throws IOException {
        if (isClosing()) {
            throw new java.net.SocketException("Connection lost");
        }
        FutureImpl<Void> w = new FutureImpl<>(loop);
        writable = w;
        addInterest(SelectionKey.OP_WRITE);
        try {
            Await.await(w);
        } finally {
            if (writable == w) {
                writable = null;
                if (pending.isEmpty() && !lossScheduled()) {
                    removeInterest(SelectionKey.OP_WRITE);
                }
            }
        }
    }

    /**
     * Marks a sendfile in progress: write() is refused meanwhile (asyncio's "sendfile is in
     * progress"), since its bytes would land in the middle of the file's.
     *
     * @param on whether one is in progress
     */
    public void setSendfileInProgress(boolean on) {
        sendfileInProgress = on;
    }

    /** {@return the socket channel} */
    public SocketChannel channel() {
        return socket;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public String toString() {
        return "<TcpTransport " + (isLost() ? "closed" : isClosing() ? "closing" : "open") + " " + peer
                + " buffered=" + pendingBytes + ">";
    }
}
