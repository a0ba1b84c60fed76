package io.asyncio4j.internal.loop;

import io.asyncio4j.internal.task.TaskImpl;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's eye on slow steps: one daemon thread that, while any loop in debug mode runs,
 * looks every few milliseconds at the step each loop is executing, and when a step has held its
 * loop longer than the slow-callback duration, records the stack of the task (or callback) at
 * that moment, so the warning shows where the time went, not just that it went.
 */
final class SlowStepWatchdog {
    private static final Set<EventLoopImpl> LOOPS = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private SlowStepWatchdog() {
    }

    static synchronized void watch(EventLoopImpl loop) {
        LOOPS.add(loop);
        if (thread == null) {
            thread = new Thread(SlowStepWatchdog::run, "asyncio4j-slow-step-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static void unwatch(EventLoopImpl loop) {
        LOOPS.remove(loop);
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(5_000_000L);
            long now = System.nanoTime();
            for (EventLoopImpl loop : LOOPS) {
                StepMonitor steps = loop.steps();
                long start = steps.startNs;
                if (start == 0 || now - start < steps.slowNs() || steps.sample != null) {
                    continue;
                }
                TaskImpl<?> task = steps.task;
                Thread target = task != null && task.thread() != null ? task.thread() : loop.owner();
                StackTraceElement[] frames = target.getStackTrace();
                if (steps.startNs == start) {
                    steps.sample = TaskImpl.trim(frames).toArray(StackTraceElement[]::new);
                }
            }
        }
    }
}
