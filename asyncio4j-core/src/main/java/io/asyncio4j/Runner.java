package io.asyncio4j;

import io.asyncio4j.internal.loop.RunnerImpl;
import java.util.concurrent.Callable;

/**
 * Runs several coroutines, one after another, on one event loop: asyncio's {@code Runner}, for
 * try-with-resources. Tasks a run leaves behind keep running in the next run; {@link #close()}
 * cancels them, shuts the default executor down and closes the loop.
 *
 * {@snippet :
 * try (Runner runner = Runner.create()) {
 *     runner.run(() -> setUp());
 *     runner.run(() -> work());
 * }
 * }
 */
public interface Runner extends AutoCloseable {

    /**
     * Creates a runner; its loop is created on the first run.
     *
     * @return the runner
     */
    static Runner create() {
        return new RunnerImpl(false);
    }

    /**
     * Creates a runner whose loop runs in debug mode or not.
     *
     * @param debug whether the loop runs in debug mode
     * @return the runner
     */
    static Runner create(boolean debug) {
        return new RunnerImpl(debug);
    }

    /**
     * Runs a coroutine as a task on the runner's loop until it is done, and returns its result or
     * throws its exception. Ctrl-C on the main thread cancels it, as in {@link Asyncio#run}.
     *
     * @param <T> the result type
     * @param main the coroutine
     * @return its result
     * @throws IllegalStateException if the runner is closed or called from a running loop
     */
    <T> T run(Callable<T> main);

    /**
     * Runs a coroutine that returns nothing; see {@link #run(Callable)}.
     *
     * @param main the coroutine
     */
    void run(ThrowingRunnable main);

    /** {@return the runner's loop, created if needed} */
    EventLoop getLoop();

    /**
     * Cancels and awaits the tasks still running, shuts the default executor down and closes the
     * loop. Idempotent.
     */
    @Override
    void close();
}
