package io.asyncio4j;

import java.util.OptionalLong;

/**
 * A region of a task that can be cancelled on its own, Trio's cancel scope: made by
 * {@link Asyncio#moveOnAfter} and {@link Asyncio#moveOnAt}, which run a body and absorb the
 * scope's own cancellation, and by {@link Asyncio#shieldedScope()}, which protects a block from
 * cancellation coming from outside.
 *
 * <p>Unlike asyncio's edge-triggered cancellation, a cancelled scope is level-triggered: every
 * suspension point inside it throws until the body leaves it, so a body that swallows the first
 * {@link CancelledError} is cancelled again at its next suspension.
 */
public interface CancelScope extends AutoCloseable {

    /**
     * Cancels the scope: code inside it is interrupted at its current or next suspension point.
     * Idempotent. Never suspends.
     */
    void cancel();

    /** {@return whether the scope was cancelled, by {@link #cancel()} or by its deadline} */
    boolean cancelCalled();

    /** {@return whether the scope ended because of its own cancellation and absorbed it} */
    boolean cancelledCaught();

    /** {@return whether the scope shields its body from cancellation coming from outside} */
    boolean isShielded();

    /** {@return the scope's deadline in nanoseconds on the loop's clock, or empty for none} */
    OptionalLong deadline();

    /**
     * Leaves a scope opened with try-with-resources ({@link Asyncio#shieldedScope()}); does nothing
     * for a scope that already ended. Never suspends.
     *
     * @throws IllegalStateException if this is not the innermost scope of the current task
     */
    @Override
    void close();
}
