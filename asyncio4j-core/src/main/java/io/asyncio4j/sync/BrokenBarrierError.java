package io.asyncio4j.sync;

import java.io.Serial;

/**
 * Thrown by {@link Barrier#arriveAndWait()} when the barrier is broken ({@link Barrier#abort()})
 * or reset ({@link Barrier#reset()}) while tasks wait, or is broken when a task arrives: asyncio's
 * {@code BrokenBarrierError}. Like asyncio's, which is a {@code RuntimeError}, it is unchecked: an
 * {@link IllegalStateException}, as {@link io.asyncio4j.InvalidStateError} is.
 */
public class BrokenBarrierError extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what broke the barrier
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
