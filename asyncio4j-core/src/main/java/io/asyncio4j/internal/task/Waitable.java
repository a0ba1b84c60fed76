package io.asyncio4j.internal.task;

/**
 * Something a task can be parked on: a future, a sleep timer, a queue or lock waiter list. It
 * knows how to stop waiting when the parked task is cancelled.
 */
public interface Waitable {
    /** The plain cancellable wait: a task cancelled while parked is woken with its cancellation. */
    Waitable WAKE_ON_CANCEL = (task, message) -> {
        task.wakeCancelled(message);
        return true;
    };

    /**
     * The parked task is being cancelled: unregister it and wake it with
     * {@link TaskImpl#wakeCancelled(String)}, or return {@code false} if this wait cannot be
     * cancelled (the cancellation is then delivered when the task next resumes). Loop thread.
     *
     * @param task the parked task
     * @param message the cancellation message, or {@code null}
     * @return whether the wait was cancelled
     */
    boolean cancelWaiter(TaskImpl<?> task, String message);
}
