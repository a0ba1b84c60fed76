package io.asyncio4j.internal.task;

import io.asyncio4j.internal.loop.TimerEntry;

/**
 * The timer of a task in sleep(): wakes the task when due (it resumes in the next iteration, as
 * asyncio's sleep future completes and then wakes its task); cancelling the task drops it.
 */
final class SleepTimer extends TimerEntry implements Waitable {
    private final TaskImpl<?> task;
    private boolean cancelled;

    SleepTimer(TaskImpl<?> task, long whenNs) {
        super(whenNs);
        this.task = task;
    }

    /**
     * Suspends the current task until a deadline on its loop's clock. Suspends; checks for
     * cancellation.
     *
     * @param t the calling task
     * @param whenNs the deadline
     */
    static void sleepUntil(TaskImpl<?> t, long whenNs) {
        t.checkpointBeforeSuspend();
        SleepTimer st = new SleepTimer(t, whenNs);
        t.loop().addTimer(st);
        t.park(st);
    }

    @Override
    public void run() {
        if (!cancelled && task.isParkedOn(this)) {
            task.wake();
        }
    }

    @Override
    public boolean cancelWaiter(TaskImpl<?> t, String message) {
        cancelled = true;
        t.loop().removeTimer(this);
        t.wakeCancelled(message);
        return true;
    }
}
