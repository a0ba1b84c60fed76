package io.asyncio4j.process;

import java.nio.ByteBuffer;

/**
 * What a child process's transport calls as its pipes and its life move on: asyncio's
 * {@code SubprocessProtocol}. Every method runs on the loop's thread and has an empty default.
 *
 * <p>The order: {@link #connectionMade} first (before {@link Subprocesses#subprocessExec}
 * returns); then {@link #pipeDataReceived} for output as it arrives, {@link #pipeConnectionLost}
 * once for each pipe, and {@link #processExited} once, in whatever order they happen; then
 * {@link #connectionLost}, once the process has exited and every pipe is closed. An exception
 * thrown by a method goes to the loop's exception handler. File descriptor numbers name the
 * pipes: 0 for standard input, 1 for output, 2 for error.
 */
public interface SubprocessProtocol {

    /**
     * The process started and its pipes are connected.
     *
     * @param transport the process's transport
     */
    default void connectionMade(SubprocessTransport transport) {
    }

    /**
     * The child wrote to standard output (1) or error (2).
     *
     * @param fd which pipe
     * @param data the bytes, from position to limit; valid only during the call (the loop reuses
     *     the buffer)
     */
    default void pipeDataReceived(int fd, ByteBuffer data) {
    }

    /**
     * A pipe closed: the child closed its end (or exited), the pipe was closed by this side, or
     * it failed.
     *
     * @param fd which pipe
     * @param error the failure ({@code java.io.IOException: Broken pipe} for standard input whose
     *     reader went away), or {@code null}
     */
    default void pipeConnectionLost(int fd, Throwable error) {
    }

    /** The process exited; {@link SubprocessTransport#getReturncode()} tells how. */
    default void processExited() {
    }

    /**
     * The process exited and every pipe closed: the transport is finished.
     *
     * @param error always {@code null} (kept for asyncio's signature)
     */
    default void connectionLost(Throwable error) {
    }

    /** Writing to standard input should pause: its buffer is above the high water mark. */
    default void pauseWriting() {
    }

    /** Writing to standard input may resume. */
    default void resumeWriting() {
    }
}
