package io.asyncio4j.internal;

/** The timer of a task in sleep(): resumes the task when due; cancelling the task drops it. */
final class SleepTimer extends TimerEntry implements Waitable {
    private final TaskImpl<?> task;
    private boolean cancelled;

    SleepTimer(TaskImpl<?> task) {
        this.task = task;
    }

    @Override
    public void run() {
        if (!cancelled && task.parkedOn == this && !task.woken) {
            task.woken = true;
            task.loop.driver.resume(task);
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
