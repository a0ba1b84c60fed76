package io.asyncio4j.observe;

/**
 * Counters of one event loop at the moment of a snapshot (trio's {@code statistics()}):
 * immutable.
 *
 * @param tasksAlive tasks created and not done
 * @param readyEntries entries in the ready queue (callbacks, task steps)
 * @param timersPending scheduled timers (sleeps, timeouts, {@code callLater})
 * @param iterations loop iterations run so far
 * @param selectorWakeups times other threads have woken the loop's selector
 * @param executorCallsInFlight {@code runInExecutor}/{@code toThread} calls not yet back
 */
public record LoopStatistics(int tasksAlive, int readyEntries, int timersPending, long iterations,
        long selectorWakeups, int executorCallsInFlight) {
}
