package io.asyncio4j.process;

import io.asyncio4j.transport.Transport;
import java.util.OptionalInt;

/**
 * A running child process as the loop drives it: asyncio's {@code SubprocessTransport}. Made by
 * {@link Subprocesses#subprocessExec} with a {@link SubprocessProtocol}. Every method must be
 * called on the loop's thread and never suspends.
 */
public interface SubprocessTransport {

    /** {@return the child's process id} */
    long getPid();

    /**
     * {@return how the process exited, once it has: its exit status, or the negative number of
     * the signal that ended it ({@code -9} for {@code SIGKILL}), as asyncio reports it; empty
     * while it runs}
     */
    OptionalInt getReturncode();

    /**
     * Returns the transport of one of the child's pipes: asyncio's {@code get_pipe_transport}.
     * Standard input's is a write-only transport ({@code write}, {@code writeEof}, flow control;
     * the reading methods throw {@link UnsupportedOperationException}), standard output's and
     * error's read-only ones ({@code pauseReading}, {@code resumeReading}, {@code close}).
     *
     * @param fd 0, 1 or 2
     * @return the pipe's transport, or {@code null} if that stream is not a pipe
     */
    Transport getPipeTransport(int fd);

    /**
     * Sends a signal to the process; does nothing once it has exited (the signal goes through a
     * pidfd where the system has them, so it can never reach another process that reused the
     * pid).
     *
     * @param signal the signal's number
     * @throws UnsupportedOperationException for a signal other than {@code TERM} and {@code KILL}
     *     where native calls are not enabled (see {@link Subprocesses})
     */
    void sendSignal(int signal);

    /**
     * Sends a signal by name: {@code "TERM"}, {@code "INT"}, {@code "HUP"}, {@code "USR1"}, with
     * or without {@code SIG}; see {@link #sendSignal(int)}.
     *
     * @param signal the signal's name
     * @throws IllegalArgumentException for an unknown name
     */
    void sendSignal(String signal);

    /** Sends {@code SIGTERM}: asyncio's {@code terminate()}. */
    void terminate();

    /** Sends {@code SIGKILL}: asyncio's {@code kill()}. */
    void kill();

    /**
     * Closes the pipes and kills the process if it is still running, as asyncio's {@code close()}
     * does; idempotent. The exit is still reported ({@link SubprocessProtocol#processExited}).
     */
    void close();

    /** {@return whether {@link #close()} was called} */
    boolean isClosing();

    /** {@return the protocol this transport reports to} */
    SubprocessProtocol getProtocol();
}
