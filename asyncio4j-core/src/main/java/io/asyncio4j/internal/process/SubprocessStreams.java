package io.asyncio4j.internal.process;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.shield;

import io.asyncio4j.Task;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.net.StreamProtocol;
import io.asyncio4j.internal.net.StreamReaderImpl;
import io.asyncio4j.process.SubprocessProtocol;
import io.asyncio4j.process.SubprocessTransport;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/*
 * Implementation overview
 *
 * asyncio's SubprocessStreamProtocol and the methods of asyncio.subprocess.Process: stdout and
 * stderr feed the core's StreamReaderImpl (whose flow control pauses the pipe transports), stdin
 * is the StreamWriter of a StreamProtocol connected to the stdin pipe's transport: the pipe's
 * pause, resume and loss are forwarded to that protocol, so drain() behaves as on a socket.
 *
 * communicate() reads standard output in the calling task, standard error and the input feeding
 * in child tasks only when there is more than one of them, so the common case (one pipe) costs
 * no task; the child tasks are cancelled if the call fails or is cancelled.
 */

/** The streams of a child process, and waiting for it. Loop thread only. */
public final class SubprocessStreams implements SubprocessProtocol {
    private final int limit;
    private SubprocessTransport transport;
    private StreamReaderImpl stdout;
    private StreamReaderImpl stderr;
    private StreamWriter stdin;
    private Protocol stdinProtocol;

    /**
     * Creates the protocol.
     *
     * @param limit the readers' buffer limit
     */
    public SubprocessStreams(int limit) {
        this.limit = limit;
    }

    @Override
    public void connectionMade(SubprocessTransport t) {
        transport = t;
        Transport out = t.getPipeTransport(1);
        if (out != null) {
            stdout = new StreamReaderImpl(limit);
            stdout.setTransport(out);
        }
        Transport err = t.getPipeTransport(2);
        if (err != null) {
            stderr = new StreamReaderImpl(limit);
            stderr.setTransport(err);
        }
        Transport in = t.getPipeTransport(0);
        if (in != null) {
            StreamProtocol p = StreamProtocol.forClient(StreamReader.DEFAULT_LIMIT, false);
            p.connectionMade(in);
            stdin = p.writer();
            stdinProtocol = p;
        }
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer data) {
        StreamReaderImpl r = fd == 1 ? stdout : fd == 2 ? stderr : null;
        if (r != null) {
            r.feedData(data);
        }
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable error) {
        if (fd == 0) {
            if (stdinProtocol != null) {
                stdinProtocol.connectionLost(error);
            }
            return;
        }
        StreamReaderImpl r = fd == 1 ? stdout : stderr;
        if (r == null) {
            return;
        }
        if (error != null) {
            r.setException(error);
        } else if (!r.atEof()) {
            r.feedEof();
        }
    }

    @Override
    public void pauseWriting() {
        if (stdinProtocol != null) {
            stdinProtocol.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (stdinProtocol != null) {
            stdinProtocol.resumeWriting();
        }
    }

    /** {@return the stdin writer, or null} */
    public StreamWriter stdin() {
        return stdin;
    }

    /** {@return the stdout reader, or null} */
    public StreamReader stdout() {
        return stdout;
    }

    /** {@return the stderr reader, or null} */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * Waits for the process to exit: asyncio's {@code wait()}. Suspends; checks for cancellation
     * (which kills the process first with {@code killOnCancel}).
     *
     * @param killOnCancel whether a cancellation kills the process
     * @return the return code
     */
    public int waitFor(boolean killOnCancel) {
        FutureImpl<Integer> exit = ((SubprocessTransportImpl) transport).exitFuture();
        if (exit.isDone()) {
            return exit.result();
        }
        try {
            return await(shield(exit)); // shielded: the exit future is shared by every waiter
        } catch (Throwable interrupted) {
            if (killOnCancel && !exit.isDone()) {
                transport.kill();
            }
            throw interrupted;
        }
    }

    /**
     * The result of {@link #communicate}.
     *
     * @param stdout the output, or null
     * @param stderr the error output, or null
     * @param returncode the return code
     */
    public record Result(byte[] stdout, byte[] stderr, int returncode) {
    }

    /**
     * Feeds the input, reads both outputs to their end, waits for the exit: asyncio's
     * {@code communicate()}. Suspends; checks for cancellation.
     *
     * @param input bytes for stdin, or null (stdin, if a pipe, is closed either way)
     * @param killOnCancel whether a cancellation kills the process
     * @return the outputs and the return code
     * @throws IOException if reading fails
     */
    public Result communicate(byte[] input, boolean killOnCancel) throws IOException {
        if (input != null && stdin == null) {
            throw new IllegalStateException("communicate(input) needs stdin=Redirect.PIPE");
        }
        Task<Void> feeder = null;
        Task<byte[]> errReader = null;
        try {
            if (stdin != null) {
                if (input == null || input.length == 0) {
                    stdin.close();
                } else {
                    feeder = createTask(() -> feed(input));
                }
            }
            if (stdout != null && stderr != null) {
                errReader = createTask(() -> readToEnd(stderr, 2));
            }
            byte[] out = stdout != null ? readToEnd(stdout, 1) : null;
            byte[] err = errReader != null ? await(errReader) : stderr != null ? readToEnd(stderr, 2) : null;
            if (feeder != null) {
                await(feeder);
            }
            return new Result(out, err, waitFor(killOnCancel));
        } catch (Throwable failure) {
            cancel(feeder);
            cancel(errReader);
            if (killOnCancel && transport.getReturncode().isEmpty()
                    && (failure instanceof io.asyncio4j.CancelledError || failure instanceof io.asyncio4j.TimeoutError)) {
                transport.kill();
            }
            throw failure;
        }
    }

    private static void cancel(Task<?> t) {
        if (t != null && !t.isDone()) {
            t.cancel();
            t.addDoneCallback(f -> {
                if (!f.isCancelled()) {
                    f.exception(); // retrieved: the call's own failure is what is reported
                }
            });
        }
    }

    private void feed(byte[] input) {
        stdin.write(input);
        try {
            stdin.drain();
        } catch (IOException brokenPipe) {
            // the child stopped reading (or exited): communicate() ignores it, as asyncio does
        }
        stdin.close();
    }

    private byte[] readToEnd(StreamReader r, int fd) throws IOException {
        byte[] b = r.read();
        transport.getPipeTransport(fd).close();
        return b;
    }
}
