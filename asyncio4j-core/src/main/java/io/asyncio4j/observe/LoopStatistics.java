package io.asyncio4j.observe;

/**
 * Counters of one event loop (trio's {@code statistics()}, aiomonitor's and Node's loop delay):
 * immutable, from {@code loop.statistics()} or a {@link LoopSnapshot}. Times are real time
 * (whatever the loop's clock), except the lag, which is on the loop's clock (0 on a virtual one).
 *
 * @param tasksAlive tasks created and not done
 * @param readyEntries entries in the ready queue (callbacks, task steps)
 * @param timersPending scheduled timers (sleeps, timeouts, {@code callLater})
 * @param iterations loop iterations run so far
 * @param selectorWakeups times other threads have woken the loop's selector
 * @param executorCallsInFlight {@code runInExecutor}/{@code toThread} calls not yet back
 * @param runningNanos how long the loop has been running, over all its runs
 * @param idleNanos how much of that it spent waiting in the selector for I/O, a timer or another
 *     thread; the rest ({@link #busyNanos()}) went to callbacks, task steps and non-blocking polls
 * @param slowestStepNanos the longest single step (callback or task step), measured only while
 *     steps are timed: in debug mode or while a JFR recording has {@code io.asyncio4j.SlowStep}
 *     enabled; 0 if none was timed
 * @param slowestStep what that step was (its task, or the callback), or {@code null}
 * @param lagSamples how many lag samples the percentiles are over: one per iteration whose timers
 *     came due
 * @param lagP50Nanos the median lag: how late the loop came round to a due timer
 * @param lagP99Nanos the 99th percentile of the lag (each percentile is the upper bound of a
 *     histogram bucket: at most 12.5 % above the true value)
 * @param lagMaxNanos the largest lag seen
 */
public record LoopStatistics(int tasksAlive, int readyEntries, int timersPending, long iterations,
        long selectorWakeups, int executorCallsInFlight, long runningNanos, long idleNanos, long slowestStepNanos,
        String slowestStep, long lagSamples, long lagP50Nanos, long lagP99Nanos, long lagMaxNanos) {

    /** {@return the time the loop has spent running callbacks and task steps} */
    public long busyNanos() {
        return Math.max(0, runningNanos - idleNanos);
    }

    /** {@return the share of its running time the loop was busy, between 0 and 1 (0 before it ran)} */
    public double utilization() {
        return runningNanos == 0 ? 0 : (double) busyNanos() / runningNanos;
    }

    /**
     * Formats the counters on one line, as the stacks format and the monitor page print them.
     *
     * @return e.g. {@code tasks=3 ready=0 timers=2 iterations=120 wakeups=4 executor=0 busy=12.5%
     *     lag p50=0.1ms p99=2.3ms max=4.0ms slowest=none}
     */
    public String format() {
        return "tasks=" + tasksAlive + " ready=" + readyEntries + " timers=" + timersPending + " iterations="
                + iterations + " wakeups=" + selectorWakeups + " executor=" + executorCallsInFlight + " busy="
                + String.format(java.util.Locale.ROOT, "%.1f%%", 100 * utilization()) + " lag p50=" + ms(lagP50Nanos)
                + " p99=" + ms(lagP99Nanos) + " max=" + ms(lagMaxNanos) + " slowest="
                + (slowestStep == null ? "none" : ms(slowestStepNanos) + " " + slowestStep);
    }

    private static String ms(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1fms", ns / 1e6);
    }
}
