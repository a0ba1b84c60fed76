package io.asyncio4j.internal.task;

import io.asyncio4j.internal.loop.EventLoopImpl;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/*
 * Implementation overview
 *
 * The one waiter list of the runtime: queues, locks, events, conditions, barriers, semaphores,
 * stream readers and writers, servers and generators park their tasks here. The protocol:
 *  - a waiting task is itself the list entry (no future or node per wait);
 *  - waking removes the task from the list, then wakes it (FIFO: wakeFirst takes the oldest);
 *  - a task cancelled while parked is woken with the cancellation but left in the list; it
 *    removes itself when it runs (park() does that before it throws).
 * So, when park() throws, membership tells what happened: still listed = cancelled while waiting
 * (nothing to undo); no longer listed = woken first, then cancelled before it ran, so it holds
 * something (the lock, a permit, an item's slot) that it must pass on: park() then runs the
 * primitive's `passOn` before throwing. Entries listed but no longer parked are cancelled waiters
 * on their way out: every scan skips them and none removes them, or their own check above would
 * go wrong. The deque is made on the first wait. Loop thread only.
 */

/** A FIFO list of parked tasks, with asyncio's rules for waiters that are cancelled. */
public final class ParkingLot implements Waitable {
    /** A wait that refuses cancellation: park() delivers it after the wake-up. */
    private static final Waitable HOLD = (task, message) -> false;

    private ArrayDeque<TaskImpl<?>> waiters;
    /** The primitive whose waiters these are, or null: what a parked task waits on, for dumps. */
    private final Object owner;
    /** Who holds the primitive (a lock's owner), or null: the await graph's edge to it. */
    private final Supplier<TaskImpl<?>> holder;

    /** Creates an empty lot of no primitive in particular. */
    public ParkingLot() {
        this(null, null);
    }

    /**
     * Creates an empty lot of a primitive, named in task dumps as what its tasks wait on.
     *
     * @param owner the primitive (its {@code toString()} describes it)
     * @param holder who holds the primitive now, or {@code null} if nobody can (a lock's owner)
     */
    public ParkingLot(Object owner, Supplier<TaskImpl<?>> holder) {
        this.owner = owner;
        this.holder = holder;
    }

    /** {@return the primitive whose waiters these are, or {@code null}} */
    public Object owner() {
        return owner;
    }

    /** {@return the task holding the primitive (a lock's owner), or {@code null}} */
    public TaskImpl<?> holder() {
        return holder == null ? null : holder.get();
    }

    /** The plain cancellable wait: a task cancelled while parked here is woken with its cancellation. */
    @Override
    public boolean cancelWaiter(TaskImpl<?> task, String message) {
        task.wakeCancelled(message);
        return true;
    }

    /**
     * Parks a task at the back of the list until it is woken. A pending cancellation is thrown
     * first, before the task is listed (after one yield to the loop, as asyncio does).
     *
     * @param t the calling task
     * @throws io.asyncio4j.CancelledError the cancellation (or a scope's error) that ended the wait
     */
    public void park(TaskImpl<?> t) {
        park(t, null);
    }

    /**
     * Parks a task like {@link #park(TaskImpl)}; if it is woken (and so handed something) and
     * then cancelled before it runs, {@code passOn} runs before the cancellation is thrown, so
     * that what it was handed goes to the next waiter.
     *
     * @param t the calling task
     * @param passOn what to do with what the task was handed, or {@code null} for nothing
     */
    public void park(TaskImpl<?> t, Runnable passOn) {
        t.checkpointBeforeSuspend();
        list().addLast(t);
        try {
            t.park(this);
        } catch (Throwable e) {
            if (!waiters.remove(t) && passOn != null) {
                passOn.run();
            }
            throw e;
        }
    }

    /**
     * Parks a task until it is woken, refusing cancellation meanwhile (a condition re-acquiring
     * its lock must hold it again before anything leaves its wait). No checkpoint first.
     *
     * @param t the calling task
     * @return the cancellation that arrived while it waited (to throw later), or {@code null}
     */
    public Throwable parkUncancellable(TaskImpl<?> t) {
        list().addLast(t);
        try {
            t.park(HOLD);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private ArrayDeque<TaskImpl<?>> list() {
        ArrayDeque<TaskImpl<?>> w = waiters;
        if (w == null) {
            waiters = w = new ArrayDeque<>(4);
        }
        return w;
    }

    /** {@return whether a listed task is still parked: a waiter that was not cancelled} */
    public boolean hasParked() {
        ArrayDeque<TaskImpl<?>> w = waiters;
        if (w == null || w.isEmpty()) {
            return false;
        }
        for (TaskImpl<?> t : w) {
            if (t.isParked()) {
                return true;
            }
        }
        return false;
    }

    /** {@return how many listed tasks are still parked} */
    public int countParked() {
        ArrayDeque<TaskImpl<?>> w = waiters;
        int n = 0;
        if (w != null) {
            for (TaskImpl<?> t : w) {
                if (t.isParked()) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Removes and wakes the first parked task, leaving cancelled ones listed.
     *
     * @return the woken task, or {@code null} if no task was parked
     */
    public TaskImpl<?> wakeFirst() {
        ArrayDeque<TaskImpl<?>> w = waiters;
        if (w == null) {
            return null;
        }
        TaskImpl<?> first = w.peekFirst();
        if (first == null) {
            return null;
        }
        if (first.isParked()) {
            w.pollFirst();
            first.wake();
            return first;
        }
        for (Iterator<TaskImpl<?>> it = w.iterator(); it.hasNext(); ) {
            TaskImpl<?> t = it.next();
            if (t.isParked()) {
                it.remove();
                t.wake();
                return t;
            }
        }
        return null;
    }

    /** Removes and wakes every parked task, in FIFO order, leaving cancelled ones listed. */
    public void wakeAll() {
        ArrayDeque<TaskImpl<?>> w = waiters;
        if (w == null || w.isEmpty()) {
            return;
        }
        for (Iterator<TaskImpl<?>> it = w.iterator(); it.hasNext(); ) {
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
        EventLoopImpl l = task.loop();
        if (bound != null && bound != l) {
            throw new IllegalStateException(primitive + " is bound to a different event loop");
        }
        return l;
    }

    @Override
    public String toString() {
        return "<ParkingLot waiters=" + countParked() + ">";
    }
}
