package io.asyncio4j;

/**
 * A coroutine body that returns nothing and may throw: the void twin of
 * {@link java.util.concurrent.Callable}, so that {@code createTask(() -> { ... })} needs no
 * {@code return null}.
 */
@FunctionalInterface
public interface ThrowingRunnable {

    /**
     * Runs the body.
     *
     * @throws Exception whatever the body throws; it reaches the task's awaiters unchanged
     */
    void run() throws Exception;
}
