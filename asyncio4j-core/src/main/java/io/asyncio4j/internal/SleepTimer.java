package io.asyncio4j.internal;

/**
 * The timer of a task in sleep(): wakes the task when due (it resumes in the next iteration, as
 * asyncio's sleep future completes and then wakes its task); cancelling the task drops it.
 */
final class SleepTimer extends TimerEntry implements Waitable {
    private final TaskImpl<?> task;
    private boolean cancelled;

    SleepTimer(TaskImpl<?> task) {
        this.task = task;
    }

    @Override
    public void run() {
        if (!cancelled && task.parkedOn == this && !task.woken) {
            task.wake();
        }
    }

    @Override
    public boolean cancelWaiter(TaskImpl<?> t, String message) {
        cancelled = true;
        t.loop.timers.remove(this);
        t.wakeCancelled(message);
        return true;
    }
}
