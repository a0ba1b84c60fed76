package io.asyncio4j.internal.net;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.internal.task.ParkingLot;

/*
 * Implementation overview
 *
 * The protocol behind a StreamReader/StreamWriter pair (asyncio's StreamReaderProtocol): received
 * bytes and the end of file go to the reader; pauseWriting/resumeWriting gate the writer's drain();
 * connectionLost completes `closed` (for waitClosed) and fails the reader and the drainers. On a
 * server, connectionMade also creates the pair and starts the client task. Loop thread only.
 */

/** Connects a transport to a stream reader and writer. */
public final class StreamProtocol implements Protocol {

    private final EventLoopImpl loop;
    final StreamReaderImpl reader;
    private final Streams.ClientHandler clientHandler;
    private final boolean overTls;
    Transport transport;
    StreamWriterImpl writer;
    final FutureImpl<Void> closed;
    private boolean paused;
    private boolean lost;
    private Throwable lostError;
    private final ParkingLot drainers = new ParkingLot();

    StreamProtocol(EventLoopImpl loop, int limit, Streams.ClientHandler clientHandler, boolean overTls) {
        this.loop = loop;
        this.reader = new StreamReaderImpl(limit);
        this.clientHandler = clientHandler;
        this.overTls = overTls;
        this.closed = new FutureImpl<>(loop);
    }

    /** {@return the protocol of a connection this side opens} */
    public static StreamProtocol forClient(int limit, boolean overTls) {
        return new StreamProtocol(EventLoopImpl.running(), limit, null, overTls);
    }

    /**
     * {@return a server's protocol factory: each connection runs the handler in a task of its own,
     * on the loop that accepted it (a server on a loop group calls the factory on every loop)}
     */
    public static Supplier<Protocol> serverFactory(Streams.ClientHandler handler, int limit, boolean overTls) {
        return () -> new StreamProtocol(EventLoopImpl.running(), limit, handler, overTls);
    }

    /** {@return the connection's reader} */
    public StreamReader reader() {
        return reader;
    }

    /** {@return the connection's writer, once connected} */
    public StreamWriter writer() {
        return writer;
    }

    /** After STARTTLS: the TLS transport replaces the plain one. */
    void replaceTransport(Transport t) {
        transport = t;
        reader.setTransport(t);
    }

    @Override
    public void connectionMade(Transport t) {
        if (writer != null) {
            return; // STARTTLS: the TLS layer reports the connection again
        }
        transport = t;
        reader.setTransport(t);
        writer = new StreamWriterImpl(t, this, reader);
        if (clientHandler != null) {
            StreamWriter w = writer;
            TaskImpl<Void> task = loop.tasks().startLazy(null, () -> clientHandler.handle(reader, w));
            task.addDoneCallback(f -> {
                if (f.isCancelled()) {
                    t.close(); // as asyncio: a cancelled handler (say, at shutdown) closes its connection
                } else if (f.exception() != null) {
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb",
                            f.exception(), f, null, java.util.List.of()));
                    t.close();
                }
            });
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // plain TCP stays half-open so the writer can finish; TLS cannot half-close
        return !overTls;
    }

    @Override
    public void connectionLost(Throwable error) {
        lost = true;
        lostError = error;
        if (error == null) {
            if (!reader.atEof()) {
                try {
                    reader.feedEof();
                } catch (IllegalStateException alreadyEof) {
                    // fine
                }
            }
            if (!closed.isDone()) {
                closed.setResult(null);
            }
        } else {
            reader.setException(error);
            if (!closed.isDone()) {
                closed.setException(error);
                closed.exception(); // retrieved: a connection error is not an unhandled one
            }
        }
        wakeDrainers();
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        wakeDrainers();
    }

    private void wakeDrainers() {
        drainers.wakeAll();
    }

    /** Waits while the transport's write buffer is above its high water mark (asyncio's _drain_helper). */
    void drainHelper() throws SocketException {
        if (lost) {
            throw lostException();
        }
        if (!paused) {
            return;
        }
        drainers.park(TaskImpl.currentOrThrow("StreamWriter.drain()"));
        if (lost) {
            throw lostException();
        }
    }

    boolean isLost() {
        return lost;
    }

    SocketException lostException() {
        SocketException e = new SocketException("Connection lost");
        if (lostError != null) {
            e.initCause(lostError);
        }
        return e;
    }
}
