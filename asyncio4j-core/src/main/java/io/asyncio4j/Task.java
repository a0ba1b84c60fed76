package io.asyncio4j;

import java.util.List;

/**
 * A coroutine scheduled on an event loop: asyncio's {@code Task}. The coroutine is a virtual
 * thread whose scheduler is the loop, so it runs one step at a time on the loop's thread and
 * suspends wherever it awaits.
 *
 * <p>A task is a {@link Future} of the coroutine's result. {@link #cancel(String)} does not stop
 * the task at once: it asks for a {@link CancelledError} to be thrown into the coroutine at its
 * current or next suspension point; the task is cancelled only if the coroutine lets that error
 * (or any {@code CancelledError}) escape. {@link #setResult} and {@link #setException} are not
 * supported: a task completes when its coroutine returns or throws.
 *
 * <pre>
 *   PENDING (not started) --first step--&gt; RUNNING &lt;--&gt; SUSPENDED
 *       |                                   |
 *       | cancel before first step          +--returns--&gt; DONE(result)
 *       v                                   +--throws---&gt; DONE(exception)
 *   CANCELLED &lt;----------------------------- +--throws CancelledError
 * </pre>
 *
 * @param <T> the coroutine's result type
 */
public interface Task<T> extends Future<T> {

    /** {@return the task's name: the one given at creation or {@code Task-<n>}} */
    String getName();

    /**
     * Renames the task. Never suspends.
     *
     * @param name the new name
     */
    void setName(String name);

    /**
     * Requests cancellation: the coroutine receives a {@link CancelledError} with this message at
     * its current suspension point (cancelling the future it awaits) or its next one. Returns
     * {@code false} for a done task. Each call increments {@link #cancelling()}. Never suspends.
     *
     * @param message the message of the {@link CancelledError}, or {@code null}
     * @return {@code true} if the request was made
     */
    @Override
    boolean cancel(String message);

    /** {@return how many cancellation requests are pending: incremented by cancel, decremented by uncancel} */
    int cancelling();

    /**
     * Withdraws one cancellation request and returns how many remain. When none remain, a
     * cancellation not yet delivered to the coroutine is withdrawn too (as asyncio 3.13 does).
     * Never suspends.
     *
     * @return the number of pending requests after this call (never below zero)
     */
    int uncancel();

    /**
     * Returns the coroutine's stack: where it is suspended, or the frames of the exception it
     * failed with; empty for a task that is done with a result, cancelled or not yet started.
     * Never suspends.
     *
     * @return the frames, innermost first
     */
    List<StackTraceElement> getStack();

    /** Prints the task's name, state and {@link #getStack() stack} to standard error. Never suspends. */
    void printStack();
}
