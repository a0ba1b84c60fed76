package io.asyncio4j.sync;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.ParkingLot;
import java.time.Duration;

/*
 * Implementation overview
 *
 * State: `owner`, the task holding the lock (null when free); `handoff`, the waiter that release()
 * woke and that has not run yet; `waiters`, the parked tasks in FIFO order (see Waiters for the
 * list protocol). Loop thread only, so plain fields.
 *
 *              acquire()                release(), a waiter W is parked
 *   free -------------------> held -----------------------------------> handing off to W
 *    ^ ^                       |  ^                                          |   |
 *    | +--- release(), no -----+  +------------- W runs: owner = W ----------+   |
 *    |      waiter parked                                                        |
 *    +------ W cancelled before it ran, no other waiter parked (else: hand off --+
 *            to the next parked waiter)
 *
 * Invariants: owner != null => handoff == null (nobody takes the lock during a hand-off, which is
 * asyncio's "no barging" rule L2); owner == null && handoff == null => no listed task is parked
 * (only cancelled waiters on their way out may be listed), so acquire() takes the lock at once
 * exactly when asyncio's does (L1) without scanning the list.
 *
 * Beyond asyncio: the lock remembers its owner so that a task acquiring it twice gets an error
 * instead of a silent deadlock. release() stays unchecked, as in asyncio: any task or callback may
 * release a held lock (L3), which also forgets the owner.
 */

/**
 * A mutual exclusion lock for the tasks of one event loop: asyncio's {@code Lock}.
 *
 * {@snippet :
 * Lock lock = new Lock();
 * try (var _ = lock.acquire()) {   // async with lock:
 *     balance += amount;          // no other task enters a block guarded by this lock meanwhile
 *     sleep(Duration.ofMillis(10));
 * }
 * }
 *
 * <p>Waiting tasks get the lock in the order they asked for it: a task calling {@link #acquire()}
 * while others wait queues behind them, even at the moment the lock is being handed to the first
 * of them. A task cancelled while waiting leaves the queue; one cancelled after the lock was
 * handed to it but before it ran passes the lock on, so the lock is never lost.
 *
 * <p>{@code acquire()} returns a {@link Held} whose {@code close()} releases the lock, so
 * try-with-resources reads like asyncio's {@code async with lock:} and needs no second method;
 * callers who pair {@code acquire()} and {@link #release()} by hand ignore the result. The lock
 * itself is not {@link AutoCloseable}: a lock is a long-lived object that is never "closed", and
 * tools would flag every {@code new Lock()} outside a try block.
 *
 * <p>Differences from asyncio: acquiring a lock the calling task already holds throws an
 * {@link IllegalStateException} instead of deadlocking (asyncio's lock, like this one, is not
 * reentrant). Not thread-safe: use it from the tasks and callbacks of one loop. The lock binds to
 * the loop of the first task that waits for it.
 */
public final class Lock {
    private final ParkingLot waiters = new ParkingLot(this, () -> this.owner);
    private final Held held = this::release;
    /** A waiter woken by release() was cancelled before it ran: the lock is its to pass on (L5). */
    private final Runnable passLockOn = () -> {
        handoff = null;
        handOff();
    };
    /** The task holding the lock, or null. */
    private TaskImpl<?> owner;
    /** The waiter woken by release() that has not taken the lock yet, or null. */
    private TaskImpl<?> handoff;
    private EventLoopImpl loop;

    /** Creates an unlocked lock. */
    public Lock() {
    }

    /**
     * Acquires the lock, waiting while another task holds it or other tasks wait for it (FIFO).
     * Returns at once, without suspending or checking for cancellation, if the lock is free and
     * no task waits for it. Suspends; checks for cancellation: a task cancelled while waiting
     * does not get the lock.
     *
     * @return a {@link Held} whose {@code close()} releases the lock, for try-with-resources
     * @throws IllegalStateException if the calling task already holds the lock, if not called
     *     from a task, or if the lock is bound to another event loop
     */
    public Held acquire() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("Lock.acquire()");
        if (owner == t) {
            throw new IllegalStateException("Lock.acquire(): " + t + " already holds this lock, and a lock is not"
                    + " reentrant (in asyncio this call would deadlock). Release it before acquiring it again, or"
                    + " have the code that runs under the lock not acquire it a second time (pass the fact that"
                    + " the lock is held down instead).");
        }
        if (isFree()) {
            owner = t;
            return held;
        }
        loop = ParkingLot.bind(loop, t, this);
        waiters.park(t, passLockOn);
        handoff = null;
        owner = t;
        return held;
    }

    /**
     * Releases the lock and hands it to the first waiting task, if any. Any task or callback may
     * release a held lock, as in asyncio. Never suspends.
     *
     * @throws IllegalStateException if the lock is not acquired
     */
    public void release() {
        if (owner == null) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        owner = null;
        handOff();
    }

    /**
     * {@return whether a task holds the lock} False while the lock is being handed to a waiter
     * that has not run yet, as in asyncio, although {@link #acquire()} will still queue then.
     * Never suspends.
     */
    public boolean locked() {
        return owner != null;
    }

    // ------------------------------------------------------------------ for Condition

    /** {@return the task holding the lock, or null} */
    TaskImpl<?> owner() {
        return owner;
    }

    /**
     * Binds the lock to the loop of a task that may wait for it: Condition.waitNotified() checks
     * this before it releases the lock, so that reacquire() cannot fail after the release.
     */
    void bind(TaskImpl<?> t) {
        loop = ParkingLot.bind(loop, t, this);
    }

    /**
     * Acquires the lock for a task leaving {@link Condition#waitNotified()}: waits like
     * {@link #acquire()} but cannot be cancelled, since the condition's lock must be held again
     * before anything leaves the wait (asyncio retries its acquire in a loop for the same reason).
     *
     * @param t the calling task
     * @return the cancellation that arrived while waiting (the lock is held nonetheless), or null
     */
    Throwable reacquire(TaskImpl<?> t) {
        if (isFree()) {
            owner = t;
            return null;
        }
        loop = ParkingLot.bind(loop, t, this);
        // a cancellation meanwhile is delivered after release() woke us: the caller throws it
        Throwable late = waiters.parkUncancellable(t);
        handoff = null;
        owner = t;
        return late;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * {@return whether acquire() may take the lock now} That is when nobody holds it and no
     * hand-off is under way; then no waiter is parked either (L1: only cancelled ones may still be
     * listed), because a task parks only while the lock is held or handed off, and both release()
     * and a cancelled hand-off hand the lock to the first parked waiter.
     */
    private boolean isFree() {
        boolean free = owner == null && handoff == null;
        assert !free || !waiters.hasParked() : "a free lock with a parked waiter: " + this;
        return free;
    }

    private void handOff() {
        handoff = waiters.wakeFirst();
    }

    @Override
    public String toString() {
        int n = waiters.countParked();
        return "<Lock " + (owner != null ? "locked" : "unlocked") + (n == 0 ? "" : " waiters=" + n) + ">";
    }
}
