package io.asyncio4j;

import java.io.Serial;

/**
 * Thrown into a task at a suspension point when the task, or a scope it runs in, is cancelled:
 * the Java form of {@code asyncio.CancelledError}.
 *
 * <p>It extends {@link Error}, not {@link Exception}, for the reason asyncio made
 * {@code CancelledError} a {@code BaseException}: cancellation must unwind the task through
 * every {@code catch (Exception e)} written for ordinary failures, running {@code finally}
 * blocks and {@code close()} methods on the way, and arrive at the scope that asked for it.
 * Java offers no other unchecked type outside the {@code Exception} hierarchy. Code that must
 * clean up on cancellation uses {@code finally} or try-with-resources; code that catches
 * {@code CancelledError} (or {@code Throwable}) should rethrow it. A task that swallows it anyway
 * keeps running; inside a cancelled scope (a task group, a timeout, {@code moveOnAfter}) its next
 * suspension throws again.
 *
 * <p>Instances made by the runtime carry no stack trace unless the loop runs in debug mode: a
 * cancellation is an expected event, and its trace would cost more than the rest of the
 * cancellation.
 */
public class CancelledError extends Error {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates a cancellation error without a message. */
    public CancelledError() {
        super();
    }

    /**
     * Creates a cancellation error with the message given to {@code cancel(msg)}.
     *
     * @param message the cancellation message, or {@code null}
     */
    public CancelledError(String message) {
        super(message);
    }

    /**
     * Creates a cancellation error, choosing whether it records a stack trace.
     *
     * @param message the cancellation message, or {@code null}
     * @param withStackTrace whether to capture the stack trace (costly on deep stacks)
     */
    public CancelledError(String message, boolean withStackTrace) {
        super(message, null, true, withStackTrace);
    }
}
