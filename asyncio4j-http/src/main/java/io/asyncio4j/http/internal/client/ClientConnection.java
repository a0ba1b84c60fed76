package io.asyncio4j.http.internal.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/*
 * Implementation overview
 *
 * One client connection: the BufferedProtocol the transport feeds, the bytes it brought, and the
 * two waits of the request's task (for bytes, and for the write buffer to drain). Loop thread only
 * (the request tasks run on the loop too).
 *
 * `in` is a heap buffer in read mode: position..limit are the bytes not yet parsed; getBuffer hands
 * the transport the free room after limit (compacting or growing first), bufferUpdated moves the
 * limit. The response parser (H1Parser) reads `in` directly, so a body chunk is a view of it that
 * the reader copies once. Reading pauses while more than PAUSE_ABOVE bytes wait to be parsed (a
 * slow consumer of a large body), and resumes when the consumer asks for more.
 *
 *   state: ACTIVE (a request owns it) <-> IDLE (in the pool)
 *          any --connectionLost / eof--> closed (terminal)
 *   While IDLE nothing may arrive: a byte (a server's stray 408, say) or an EOF makes the pool drop
 *   the connection at once, so a request never takes a connection that is known to be dead.
 */

/** One HTTP/1.1 connection of a client: the protocol of its transport and its input buffer. */
public final class ClientConnection implements BufferedProtocol {
    private static final int INITIAL = 16 * 1024;
    private static final int MIN_ROOM = 4 * 1024;
    private static final int PAUSE_ABOVE = 256 * 1024;

    private final EventLoop loop;
    private final PoolKey key;
    private final ConnectionPool pool;
    private Transport transport;
    private ByteBuffer in = ByteBuffer.allocate(INITIAL).flip();
    private boolean eof;
    private boolean closed;
    private Throwable lostError;
    private boolean idle;
    private boolean paused;
    private boolean writePaused;
    private Future<Object> readWaiter;
    private Future<Object> drainWaiter;
    /** When the connection went idle (loop time), for the keep-alive timeout. */
    long idleSinceNs;
    /** Requests this connection carried, for the reused/created hooks and tests. */
    int requests;
    private boolean detached;
    private io.asyncio4j.http.internal.h1.H1Parser parser;

    ClientConnection(EventLoop loop, PoolKey key, ConnectionPool pool) {
        this.loop = loop;
        this.key = key;
        this.pool = pool;
    }

    /** {@return the pool key this connection belongs to} */
    public PoolKey key() {
        return key;
    }

    /** {@return the transport} */
    public Transport transport() {
        return transport;
    }

    /**
     * {@return the connection's response parser, made on first use: it is back at a message's
     * start after each response read to its end, and a connection whose parser failed is discarded}
     * @param limits the parser's limits, for the first use
     */
    public io.asyncio4j.http.internal.h1.H1Parser parser(io.asyncio4j.http.internal.h1.H1Limits limits) {
        if (parser == null) {
            parser = io.asyncio4j.http.internal.h1.H1Parser.forResponses(limits);
        }
        return parser;
    }

    /** {@return the unparsed input (read mode); the parser consumes from it} */
    public ByteBuffer input() {
        return in;
    }

    /** {@return whether the peer ended its input} */
    public boolean atEof() {
        return eof || closed;
    }

    /** {@return whether the connection is closed or closing} */
    public boolean isClosed() {
        return closed || transport == null || transport.isClosing();
    }

    /** {@return whether this connection can carry another request: open, no EOF, nothing unread} */
    boolean reusable() {
        return !isClosed() && !eof && !in.hasRemaining();
    }

    /** {@return whether the connection carried a request before the current one (it came from the pool)} */
    public boolean reused() {
        return requests > 0;
    }

    /** {@return whether the connection was given bytes that no request asked for yet} */
    public boolean hasUnreadInput() {
        return in.hasRemaining();
    }

    void setIdle(boolean on) {
        idle = on;
    }

    boolean isIdle() {
        return idle;
    }

    // ------------------------------------------------------------------ protocol callbacks

    @Override
    public void connectionMade(Transport t) {
        transport = t;
    }

    @Override
    public ByteBuffer getBuffer(int sizeHint) {
        if (in.capacity() - in.limit() < MIN_ROOM) {
            if (in.position() > 0) {
                in.compact().flip();
            }
            if (in.capacity() - in.limit() < MIN_ROOM) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                bigger.put(in).flip();
                in = bigger;
            }
        }
        ByteBuffer room = in.duplicate();
        room.position(in.limit()).limit(in.capacity());
        return room;
    }

    @Override
    public void bufferUpdated(int nbytes) {
        in.limit(in.limit() + nbytes);
        if (idle) {
            pool.idleConnectionBroke(this); // a stray byte on an idle connection: it cannot be reused
            return;
        }
        if (in.remaining() > PAUSE_ABOVE && !paused && !detached) {
            paused = true;
            transport.pauseReading();
        }
        wakeReader();
    }

    @Override
    public boolean eofReceived() {
        eof = true;
        if (idle) {
            pool.idleConnectionBroke(this);
        }
        wakeReader();
        return false; // close our side too: HTTP/1.1 has no use for a half-open connection
    }

    @Override
    public void connectionLost(Throwable error) {
        closed = true;
        lostError = error;
        if (idle) {
            pool.idleConnectionBroke(this);
        }
        wakeReader();
        Future<Object> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            if (!w.isDone()) {
                w.setResult(Boolean.TRUE);
            }
        }
    }

    @Override
    public void pauseWriting() {
        writePaused = true;
    }

    @Override
    public void resumeWriting() {
        writePaused = false;
        Future<Object> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            if (!w.isDone()) {
                w.setResult(Boolean.TRUE);
            }
        }
    }

    private void wakeReader() {
        Future<Object> w = readWaiter;
        if (w != null) {
            readWaiter = null;
            if (!w.isDone()) {
                w.setResult(Boolean.TRUE);
            }
        }
    }

    // ------------------------------------------------------------------ the request task's side

    /**
     * Waits until more bytes arrived after what {@link #input()} holds, or the input ended.
     * Suspends; checks for cancellation.
     *
     * @param deadlineNs the loop time after which to give up, or {@link Long#MAX_VALUE}
     * @return {@code true} if something happened, {@code false} if the deadline passed first
     */
    public boolean awaitInput(long deadlineNs) {
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        if (eof || closed) {
            return true;
        }
        Future<Object> w = loop.createFuture();
        readWaiter = w;
        TimerHandle timer = null;
        if (deadlineNs != Long.MAX_VALUE) {
            if (deadlineNs <= loop.time()) {
                readWaiter = null;
                return false;
            }
            timer = loop.callAt(deadlineNs, () -> {
                if (!w.isDone()) {
                    w.setResult(Boolean.FALSE);
                }
            });
        }
        try {
            return (Boolean) Asyncio.await(w);
        } finally {
            if (readWaiter == w) {
                readWaiter = null;
            }
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** {@return why the connection was lost, or {@code null} (a clean close or none yet)} */
    public Throwable lostError() {
        return lostError;
    }

    /**
     * Writes bytes (the transport copies what it cannot send now). Never suspends.
     *
     * @param data the bytes
     * @throws IOException if the connection is closed
     */
    public void write(ByteBuffer data) throws IOException {
        if (isClosed()) {
            throw closedError();
        }
        transport.write(data);
    }

    /**
     * Waits until the transport's write buffer is below its low-water mark. Suspends while it is
     * above; checks for cancellation.
     *
     * @throws IOException if the connection was lost
     */
    public void drain() throws IOException {
        if (closed) {
            throw closedError();
        }
        if (!writePaused) {
            return;
        }
        Future<Object> w = loop.createFuture();
        drainWaiter = w;
        try {
            Asyncio.await(w);
        } finally {
            if (drainWaiter == w) {
                drainWaiter = null;
            }
        }
        if (closed) {
            throw closedError();
        }
    }

    private IOException closedError() {
        IOException e = new IOException("the connection is closed");
        if (lostError != null) {
            e.initCause(lostError);
        }
        return e;
    }

    /** Closes the connection at once (unsent data is dropped). Never suspends. */
    public void abort() {
        if (transport != null && !closed) {
            transport.abort();
        }
        closed = true;
    }

    /** Marks the connection as no longer the pool's: it is handed to another protocol. */
    void detach() {
        detached = true;
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** {@return the unparsed bytes, taken out of the buffer} */
    byte[] takeInput() {
        byte[] rest = Arrays.copyOfRange(in.array(), in.arrayOffset() + in.position(),
                in.arrayOffset() + in.limit());
        in.position(in.limit());
        return rest;
    }

    @Override
    public String toString() {
        return "ClientConnection[" + key + (closed ? ", closed" : idle ? ", idle" : "") + "]";
    }
}
