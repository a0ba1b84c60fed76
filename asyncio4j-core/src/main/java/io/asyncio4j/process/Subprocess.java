package io.asyncio4j.process;

import io.asyncio4j.Asyncio;
import io.asyncio4j.internal.process.SubprocessStreams;
import io.asyncio4j.internal.process.SubprocessTransportImpl;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A running child process: asyncio's {@code asyncio.subprocess.Process}. Made by
 * {@link Subprocesses#createSubprocessExec} and {@link Subprocesses#createSubprocessShell}; use
 * it with try-with-resources, so that a child is never left behind.
 *
 * {@snippet :
 * try (Subprocess p = Subprocesses.createSubprocessExec(List.of("ls", "-l"),
 *         SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
 *     for (byte[] line : p.stdout()) {       // each line as the child writes it
 *         System.out.print(new String(line, UTF_8));
 *     }
 *     int code = p.waitFor();
 * }
 * }
 *
 * <p><b>Return codes</b> are asyncio's: the exit status, or for a process ended by a signal the
 * negative number of that signal ({@code -9} after {@link #kill()}, {@code -15} after
 * {@link #terminate()}). Where native calls are not enabled the JDK reports a death by signal N as
 * status 128 + N (see {@link Subprocesses}).
 *
 * <p><b>Cancellation</b>: a task cancelled while it waits in {@link #waitFor()} or
 * {@link #communicate} receives its cancellation and the child goes on running, as in asyncio
 * (output read so far by a cancelled {@code communicate} is lost); with
 * {@link SubprocessOptions#withKillOnCancel(boolean) withKillOnCancel(true)} the child is killed
 * first. {@link #close()} kills a child still running and waits for it, so a child started in a
 * try-with-resources block never outlives it. A loop that closes with children still running
 * kills them too, and logs them at WARNING.
 *
 * <p>All methods must be called from the loop's thread (a task, or a callback for those that do
 * not suspend).
 */
public final class Subprocess implements AutoCloseable {
    private final SubprocessTransportImpl transport;
    private final SubprocessStreams streams;
    private final boolean killOnCancel;

    Subprocess(SubprocessTransportImpl transport, SubprocessStreams streams, boolean killOnCancel) {
        this.transport = transport;
        this.streams = streams;
        this.killOnCancel = killOnCancel;
    }

    /**
     * The outputs and the exit of a {@linkplain #communicate finished} child.
     *
     * @param stdout the standard output, or {@code null} if it was not a pipe
     * @param stderr the standard error, or {@code null} if it was not a pipe
     * @param returncode the return code
     */
    public record Output(byte[] stdout, byte[] stderr, int returncode) {

        /** {@return the standard output decoded as UTF-8, or {@code null}} */
        public String stdoutText() {
            return stdout == null ? null : new String(stdout, StandardCharsets.UTF_8);
        }

        /** {@return the standard error decoded as UTF-8, or {@code null}} */
        public String stderrText() {
            return stderr == null ? null : new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** {@return the child's process id} */
    public long pid() {
        return transport.getPid();
    }

    /**
     * {@return the child's standard input, when it is {@link Redirect#PIPE}} {@code drain()} waits
     * while the pipe's buffer is above its high water mark; {@code close()} ends the input.
     *
     * @throws IllegalStateException if standard input is not a pipe
     */
    public StreamWriter stdin() {
        return require(streams.stdin(), "stdin");
    }

    /**
     * {@return the child's standard output, when it is {@link Redirect#PIPE}}
     *
     * @throws IllegalStateException if standard output is not a pipe
     */
    public StreamReader stdout() {
        return require(streams.stdout(), "stdout");
    }

    /**
     * {@return the child's standard error, when it is {@link Redirect#PIPE}}
     *
     * @throws IllegalStateException if standard error is not a pipe
     */
    public StreamReader stderr() {
        return require(streams.stderr(), "stderr");
    }

    private static <T> T require(T stream, String name) {
        if (stream == null) {
            throw new IllegalStateException(name + " is not a pipe: start the process with with"
                    + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "(Redirect.PIPE)");
        }
        return stream;
    }

    /** {@return the return code once the child has exited; empty while it runs} Never suspends. */
    public OptionalInt returncode() {
        return transport.getReturncode();
    }

    /**
     * Waits for the child to exit: asyncio's {@code wait()}. Mind that a child writing more to a
     * pipe than its buffer holds waits for the reader: read its output (or use
     * {@link #communicate}) rather than wait first. Suspends; checks for cancellation.
     *
     * @return the return code
     */
    public int waitFor() {
        return streams.waitFor(killOnCancel);
    }

    /**
     * Reads standard output and error to their end and waits for the exit: asyncio's
     * {@code communicate()}; standard input, if a pipe, is closed first. Both outputs are read at
     * once, so a child filling both pipes cannot deadlock. Suspends; checks for cancellation.
     *
     * @return the outputs and the return code
     * @throws IOException if reading fails
     */
    public Output communicate() throws IOException {
        return communicate(null);
    }

    /**
     * Sends {@code input} to standard input and closes it while reading both outputs to their end,
     * then waits for the exit: asyncio's {@code communicate(input)}. A child that exits without
     * reading all of its input is no error. Suspends; checks for cancellation.
     *
     * @param input the bytes for standard input, or {@code null}
     * @return the outputs and the return code
     * @throws IllegalStateException if input is given but standard input is not a pipe
     * @throws IOException if reading fails
     */
    public Output communicate(byte[] input) throws IOException {
        SubprocessStreams.Result r = streams.communicate(input, killOnCancel);
        return new Output(r.stdout(), r.stderr(), r.returncode());
    }

    /**
     * Sends a signal: asyncio's {@code send_signal}. Does nothing once the child has exited. Never
     * suspends.
     *
     * @param signal the signal's number
     * @throws UnsupportedOperationException for a signal other than {@code TERM} and {@code KILL}
     *     where native calls are not enabled
     */
    public void sendSignal(int signal) {
        transport.sendSignal(signal);
    }

    /**
     * Sends a signal by name ({@code "INT"}, {@code "TERM"}, {@code "HUP"}...). Never suspends.
     *
     * @param signal the signal's name, with or without {@code SIG}
     * @throws IllegalArgumentException for an unknown name
     */
    public void sendSignal(String signal) {
        transport.sendSignal(signal);
    }

    /**
     * Sends a signal to the child's process group, as {@code os.killpg(p.pid, sig)} does for a
     * child started with {@code start_new_session=True} or {@code process_group=0}: the child and
     * whatever it started that stayed in its group (a shell's commands, say), even once the child
     * itself has exited; nothing once the group is empty. Never suspends.
     *
     * @param signal the signal's number (9 for KILL, 15 for TERM)
     * @throws IllegalStateException if the child was not started with
     *     {@link SubprocessOptions#withNewSession(boolean) withNewSession(true)} or
     *     {@link SubprocessOptions#withProcessGroup(int) withProcessGroup(0)}
     */
    public void sendSignalToGroup(int signal) {
        transport.sendSignalToGroup(signal);
    }

    /** Sends {@code SIGTERM}: asyncio's {@code terminate()}. Never suspends. */
    public void terminate() {
        transport.terminate();
    }

    /** Sends {@code SIGKILL}: asyncio's {@code kill()}. Never suspends. */
    public void kill() {
        transport.kill();
    }

    /** {@return the low-level transport under this process} */
    public SubprocessTransport transport() {
        return transport;
    }

    /**
     * Ends the child's life: closes standard input, kills the child if it is still running, waits
     * for its exit and closes the output pipes (unread output is dropped). Idempotent; shielded
     * from cancellation, so it always completes. Suspends while the child is exiting.
     */
    @Override
    public void close() {
        try (var _ = Asyncio.shieldedScope()) {
            if (streams.stdin() != null && !streams.stdin().isClosing()) {
                streams.stdin().close();
            }
            if (transport.getReturncode().isEmpty()) {
                transport.kill();
                streams.waitFor(false);
            }
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "<Subprocess " + transport.getPid() + " "
                + (returncode().isPresent() ? "returncode=" + returncode().getAsInt() : "running") + ">";
    }
}
