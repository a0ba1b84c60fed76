package io.asyncio4j.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/*
 * Implementation overview
 *
 * The waiter lists of the queues, the synchronisation primitives and the streams follow one
 * protocol:
 *  - a waiting task is itself the list entry (no future or node per wait), parked with park(CANCEL);
 *  - waking removes the task from its list, then wakes it;
 *  - a task cancelled while parked is woken with the cancellation but left in its list; it removes
 *    itself when it runs.
 * So, when park() throws, membership tells what happened: still listed = cancelled while waiting
 * (nothing to undo); no longer listed = woken first, then cancelled before it ran, so it holds
 * something (the lock, a permit, a notification) that it must pass on. Entries that are listed
 * but no longer parked are cancelled waiters on their way out: every scan skips them and none
 * removes them, or their own check above would go wrong.
 */

/** The waiter-list protocol shared by queues, synchronisation primitives and streams. Loop thread only. */
public final class Waiters {
    private Waiters() {
    }

    /** A waiting task is cancelled: wake it with the cancellation, leaving it listed. */
    public static final Waitable CANCEL = (task, message) -> {
        task.wakeCancelled(message);
        return true;
    };

    /**
     * A wait that cannot be cancelled: a cancellation meanwhile is thrown by park() after the
     * wake-up. Used to re-acquire a condition's lock, which must be held again before anything
     * leaves Condition.waitNotified().
     */
    public static final Waitable HOLD = (task, message) -> false;

    /** {@return whether a task of the list is still parked, i.e. a waiter that was not cancelled} */
    public static boolean hasParked(ArrayDeque<TaskImpl<?>> waiters) {
        if (waiters.isEmpty()) {
            return false;
        }
        for (TaskImpl<?> t : waiters) {
            if (t.isParked()) {
                return true;
            }
        }
        return false;
    }

    /** {@return how many tasks of the list are still parked} */
    public static int countParked(ArrayDeque<TaskImpl<?>> waiters) {
        int n = 0;
        for (TaskImpl<?> t : waiters) {
            if (t.isParked()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Removes and wakes the first parked task of the list, leaving cancelled ones listed.
     *
     * @return the woken task, or {@code null} if no task was parked
     */
    public static TaskImpl<?> wakeFirst(ArrayDeque<TaskImpl<?>> waiters) {
        TaskImpl<?> first = waiters.peekFirst();
        if (first == null) {
            return null;
        }
        if (first.isParked()) {
            waiters.pollFirst();
            first.wake();
            return first;
        }
        for (Iterator<TaskImpl<?>> it = waiters.iterator(); it.hasNext(); ) {
            TaskImpl<?> t = it.next();
            if (t.isParked()) {
                it.remove();
                t.wake();
                return t;
            }
        }
        return null;
    }

    /** Removes and wakes every parked task of the list, in FIFO order, leaving cancelled ones listed. */
    public static void wakeAll(ArrayDeque<TaskImpl<?>> waiters) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Iterator<TaskImpl<?>> it = waiters.iterator(); it.hasNext(); ) {
            TaskImpl<?> t = it.next();
            if (t.isParked()) {
                it.remove();
                t.wake();
            }
        }
    }

    /**
     * Binds a primitive to the loop of its first blocking use (asyncio's _LoopBoundMixin).
     *
     * @param bound the loop the primitive is bound to, or {@code null}
     * @param task the task about to wait
     * @param primitive the primitive, for the message
     * @return the loop to keep
     * @throws IllegalStateException if the primitive is bound to another loop
     */
    public static EventLoopImpl bind(EventLoopImpl bound, TaskImpl<?> task, Object primitive) {
        EventLoopImpl l = task.getLoopImpl();
        if (bound != null && bound != l) {
            throw new IllegalStateException(primitive + " is bound to a different event loop");
        }
        return l;
    }

    /** Throws an error caught from park() again, unchanged (it is unchecked: a cancellation, a timeout). */
    public static RuntimeException rethrow(Throwable error) {
        return Sneaky.rethrow(error);
    }
}
