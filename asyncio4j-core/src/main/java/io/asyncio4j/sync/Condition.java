package io.asyncio4j.sync;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.task.ParkingLot;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/*
 * Implementation overview
 *
 * A condition is a Lock plus its own list of waiting tasks (a ParkingLot). waitNotified()
 * runs three phases:
 *   1. release the lock, park in `waiters`;
 *   2. woken by a notify (the notifier removed us from the list) or cancelled (still listed);
 *   3. re-acquire the lock with Lock.reacquire(), which cannot be cancelled: whatever happened,
 *      the caller holds the lock again when waitNotified() returns or throws (L9). A cancellation
 *      arriving during phase 3 is thrown after it, replacing an earlier one (asyncio raises the
 *      most recent).
 * If the wait throws although this task had been notified, the notification is passed to the
 * next waiter, so a notify is never lost to a cancellation (asyncio 3.13 notifies one waiter on
 * any error; passing it on only when one was received avoids needless wake-ups).
 */

/**
 * A condition variable for the tasks of one event loop: asyncio's {@code Condition}. Tasks wait,
 * holding its lock, until another task notifies them.
 *
 * {@snippet :
 * Condition changed = new Condition();
 * // consumer
 * try (var _ = changed.acquire()) {
 *     changed.waitFor(() -> !items.isEmpty());  // releases the lock while waiting
 *     use(items.removeFirst());
 * }
 * // producer
 * try (var _ = changed.acquire()) {
 *     items.add(item);
 *     changed.notifyOne();
 * }
 * }
 *
 * <p>The names differ from asyncio's where {@link Object} already owns them: asyncio's
 * {@code wait()} is {@link #waitNotified()}, {@code notify(n)} is {@link #notifyWaiters(int)}
 * (with {@link #notifyOne()} for asyncio's default {@code n=1}, as C++'s {@code notify_one}), and
 * {@code notify_all()} is {@link #notifyAllWaiters()}. Acquire the lock with try-with-resources,
 * as for a {@link Lock}.
 *
 * <p>Differences from asyncio: waiting requires that the calling task holds the lock, not merely
 * that someone does (waiting would otherwise release another task's lock); the wait methods
 * return nothing (asyncio's return {@code True}, or the predicate's value). Not thread-safe: use it
 * from the tasks and callbacks of one loop. The condition binds to the loop of the first task
 * that waits on it.
 */
public final class Condition {
    private final Lock lock;
    private final ParkingLot waiters = new ParkingLot(this, null);
    /** Set by the parking lot when a notified waiter was cancelled before it ran. */
    private boolean notifiedBeforeCancel;
    private final Runnable markNotified = () -> notifiedBeforeCancel = true;
    private EventLoopImpl loop;

    /** Creates a condition with a new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition using a given lock, for several conditions sharing one lock.
     *
     * @param lock the lock
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    // ------------------------------------------------------------------ the lock

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()}. Suspends; checks for cancellation.
     *
     * @return a {@link Held} whose {@code close()} releases the lock, for try-with-resources
     * @throws IllegalStateException if the calling task already holds the lock, if not called
     *     from a task, or if the lock is bound to another event loop
     */
    public Held acquire() {
        return lock.acquire();
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}. Never suspends.
     *
     * @throws IllegalStateException if the lock is not acquired
     */
    public void release() {
        lock.release();
    }

    /** {@return whether a task holds the underlying lock} Never suspends. */
    public boolean locked() {
        return lock.locked();
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Releases the lock, waits until notified, then acquires the lock again: asyncio's
     * {@code Condition.wait()} ({@code wait} is taken by {@link Object#wait()}). The calling task
     * must hold the lock, and holds it again when this method returns <em>or throws</em>: a
     * cancelled wait first waits for the lock, then throws the cancellation; a notification this
     * task received but cannot act on because it was cancelled goes to the next waiter. As with
     * any condition variable, re-check what you wait for after waking (or use
     * {@link #waitFor(BooleanSupplier)}). Suspends; checks for cancellation.
     *
     * @throws IllegalStateException if the calling task does not hold the lock ("cannot wait on
     *     un-acquired lock"), if not called from a task, or if the condition is bound to another
     *     event loop
     */
    public void waitNotified() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("Condition.waitNotified()");
        requireHeldBy(t);
        loop = ParkingLot.bind(loop, t, this);
        lock.bind(t);                        // re-acquiring may wait: fail now, while the lock is held
        lock.release();
        Throwable error = null;
        boolean notified = false;
        try {
            waiters.park(t, markNotified);
            notified = true;
        } catch (Throwable e) {
            error = e;
            notified = notifiedBeforeCancel; // a notify woke us before the cancellation arrived
            notifiedBeforeCancel = false;
        }
        Throwable late = lock.reacquire(t);
        if (late != null) {
            error = late;
        }
        if (error != null) {
            if (notified) {
                waiters.wakeFirst(); // the notification is passed on, not lost
            }
            throw Sneaky.rethrow(error);
        }
    }

    /**
     * Waits until a predicate is true: evaluates it, and while it is false,
     * {@link #waitNotified()}s and evaluates it again (asyncio's {@code Condition.wait_for}). The
     * calling task must hold the lock; the predicate is evaluated while it holds it. Returns
     * without suspending if the predicate is true at once. Suspends; checks for cancellation.
     *
     * @param predicate what to wait for
     * @throws IllegalStateException if the calling task does not hold the lock, if not called from
     *     a task, or if the condition is bound to another event loop
     */
    public void waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        requireHeldBy(TaskImpl.currentOrThrow("Condition.waitFor()"));
        while (!predicate.getAsBoolean()) {
            waitNotified();
        }
    }

    // ------------------------------------------------------------------ notifying

    /**
     * Wakes the first waiting task, if any: asyncio's {@code notify()}. The lock must be held;
     * the woken task resumes once it has acquired the lock again. Never suspends.
     *
     * @throws IllegalStateException if the lock is not held ("cannot notify on un-acquired lock")
     */
    public void notifyOne() {
        notifyWaiters(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, longest waiting first: asyncio's {@code notify(n)}. The
     * lock must be held; each woken task resumes once it has acquired the lock again. Never
     * suspends.
     *
     * @param n how many tasks to wake at most; zero wakes none
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the lock is not held ("cannot notify on un-acquired lock")
     */
    public void notifyWaiters(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        requireLocked();
        for (int i = 0; i < n; i++) {
            if (waiters.wakeFirst() == null) {
                break;
            }
        }
    }

    /**
     * Wakes every waiting task: asyncio's {@code notify_all()}. The lock must be held; the woken
     * tasks resume one by one as each acquires the lock again. Never suspends.
     *
     * @throws IllegalStateException if the lock is not held ("cannot notify on un-acquired lock")
     */
    public void notifyAllWaiters() {
        requireLocked();
        waiters.wakeAll();
    }

    // ------------------------------------------------------------------ helpers

    private void requireHeldBy(TaskImpl<?> t) {
        TaskImpl<?> owner = lock.owner();
        if (owner == null) {
            throw new IllegalStateException("cannot wait on un-acquired lock: acquire the condition's lock first,"
                    + " e.g. try (var _ = condition.acquire()) { condition.waitNotified(); }");
        }
        if (owner != t) {
            throw new IllegalStateException("cannot wait on un-acquired lock: it is held by " + owner
                    + ", not by the waiting " + t);
        }
    }

    private void requireLocked() {
        // asyncio checks only that the lock is held, so a callback may notify while a task holds it
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: acquire the condition's lock first");
        }
    }

    @Override
    public String toString() {
        int n = waiters.countParked();
        return "<Condition " + (lock.locked() ? "locked" : "unlocked") + (n == 0 ? "" : " waiters=" + n) + ">";
    }
}
