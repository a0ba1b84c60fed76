package io.asyncio4j.testing;

import io.asyncio4j.internal.loop.EventLoopImpl;

/** Helpers for tests of asynchronous code: trio's {@code trio.testing} functions. */
public final class Testing {
    private Testing() {
    }

    /**
     * Waits until every other task of the running loop is blocked: none is ready to run, no I/O
     * is ready and no timer is due: trio's {@code wait_all_tasks_blocked}. A test uses it to let
     * everything it started settle before it checks the state. Tasks sleeping until a later
     * deadline count as blocked. Suspends; checks for cancellation.
     *
     * @throws IllegalStateException if not called from a task
     */
    public static void waitAllTasksBlocked() {
        EventLoopImpl.running().waitAllTasksBlocked();
    }
}
