package io.asyncio4j.internal.loop;

import io.asyncio4j.internal.observe.JfrEvents;
import io.asyncio4j.internal.task.TaskImpl;
import java.util.IdentityHashMap;
import java.util.Map;

/*
 * Implementation overview
 *
 * Debug mode's record of the step the loop is running, so that a slow one (longer than the
 * slow-callback duration) is reported with the task it belongs to and, thanks to the
 * SlowStepWatchdog's sample, where it spent its time. `startNs`, `task` and `sample` are
 * volatile: the watchdog thread reads the first two and writes the third. A task's continuation
 * is a JDK object; `continuations` maps each back to its task (fast driver), so a ready entry
 * can be named. Times here are real time, whatever the loop's clock. Loop thread only, except as
 * said.
 */

/** Debug mode's timing and naming of the loop's steps. */
public final class StepMonitor {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");
    private static final long DEFAULT_SLOW_NS = 100_000_000L;

    volatile long startNs;
    volatile TaskImpl<?> task;
    volatile StackTraceElement[] sample;
    /** The last task stepped during the current entry, to name a slow entry. */
    private TaskImpl<?> stepped;
    private final Map<Object, TaskImpl<?>> continuations = new IdentityHashMap<>();
    private volatile long slowNs = DEFAULT_SLOW_NS;
    /** The longest step timed so far, and what it was (for statistics()). */
    private long slowestNs;
    private String slowest;

    long slowestNs() {
        return slowestNs;
    }

    String slowest() {
        return slowest;
    }

    long slowNs() {
        return slowNs;
    }

    void setSlowNs(long ns) {
        slowNs = ns;
    }

    /**
     * Names a continuation after its task, for slow-step reports.
     *
     * @param continuation the JDK's continuation of the task's virtual thread
     * @param t the task
     */
    public void track(Object continuation, TaskImpl<?> t) {
        continuations.put(continuation, t);
    }

    /**
     * Forgets a finished task's continuation.
     *
     * @param continuation the continuation, or {@code null}
     */
    public void forget(Object continuation) {
        if (continuation != null) {
            continuations.remove(continuation);
        }
    }

    /** Runs a ready entry, timing it. */
    void runEntry(EventLoopImpl loop, Object e) {
        TaskImpl<?> t = continuations.get(e);
        TaskImpl<?> previous = task;
        if (t != null) {
            task = t;
        }
        sample = null;
        stepped = null;
        long t0 = System.nanoTime();
        startNs = t0;
        try {
            loop.runEntry(e);
        } finally {
            startNs = 0;
            long took = System.nanoTime() - t0;
            TaskImpl<?> named = task != null ? task : stepped;
            task = previous;
            if (took > slowestNs) {
                slowestNs = took;
                slowest = named != null ? named.toString() : describe(e);
            }
            if (took >= slowNs) {
                if (loop.getDebug()) {
                    logSlowStep(e, named, took);
                }
                JfrEvents.slowStep(named != null ? named.toString() : describe(e), named, took, sample);
            }
        }
    }

    /**
     * A task's step starts inside another entry (a future's callbacks): name it.
     *
     * @param t the task
     * @return the task named before, for {@link #endStep}
     */
    public TaskImpl<?> beginStep(TaskImpl<?> t) {
        TaskImpl<?> previous = task;
        task = t;
        stepped = t;
        return previous;
    }

    /**
     * The step begun by {@link #beginStep} ended.
     *
     * @param previous what {@code beginStep} returned
     */
    public void endStep(TaskImpl<?> previous) {
        task = previous;
    }

    /** An entry without its task's name: debug mode maps continuations to tasks, JFR alone does not. */
    private static String describe(Object entry) {
        String c = entry.getClass().getName();
        return c.startsWith("java.lang.VirtualThread") || c.startsWith("io.asyncio4j.internal.task.CompatDriver")
                ? "a task's step (debug mode names the task)" : String.valueOf(entry);
    }

    private void logSlowStep(Object entry, TaskImpl<?> t, long tookNs) {
        StringBuilder sb = new StringBuilder("Executing ");
        sb.append(t != null ? t.toString() : String.valueOf(entry));
        sb.append(String.format(" took %.3f seconds", tookNs / 1e9));
        StackTraceElement[] s = sample;
        if (s != null && s.length > 0) {
            sb.append("; it was running at:");
            for (StackTraceElement f : s) {
                sb.append(System.lineSeparator()).append("\tat ").append(f);
            }
        }
        LOG.log(System.Logger.Level.WARNING, sb.toString());
    }
}
