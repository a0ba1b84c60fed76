package io.asyncio4j;

/** A callback scheduled on an event loop, which may be cancelled before it runs: asyncio's {@code Handle}. */
public interface Handle {

    /**
     * Prevents the callback from running, if it has not run yet; idempotent. May be called from
     * any thread. Never suspends.
     */
    void cancel();

    /** {@return whether {@link #cancel()} was called} */
    boolean isCancelled();
}
