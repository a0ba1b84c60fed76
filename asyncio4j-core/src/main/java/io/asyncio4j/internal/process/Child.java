package io.asyncio4j.internal.process;

import java.util.function.IntConsumer;

/**
 * A started child process, whatever started it: its pid, the parent's ends of its pipes, its exit
 * and its signals. Loop thread, except where said.
 */
interface Child {

    /** {@return the process id} */
    long pid();

    /** {@return the writing end of its stdin, or null if stdin is not a pipe} */
    Pipes.WritePipe stdin();

    /** {@return the reading end of its stdout, or null} */
    Pipes.ReadPipe stdout();

    /** {@return the reading end of its stderr, or null} */
    Pipes.ReadPipe stderr();

    /**
     * Asks to be told of the exit, once, on the loop's thread, with asyncio's return code (minus
     * the signal's number for a death by signal).
     *
     * @param exited the callback
     */
    void onExit(IntConsumer exited);

    /**
     * Sends a signal; nothing once the process was reaped.
     *
     * @param signal the signal's number
     */
    void signal(int signal);

    /** The transport is done with the process (it exited): release what is held for it. */
    void release();
}
