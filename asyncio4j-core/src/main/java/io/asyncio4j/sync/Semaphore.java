package io.asyncio4j.sync;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.ParkingLot;

/*
 * Implementation overview
 *
 * State: `value`, the free permits; `waiters`, the parked tasks in FIFO order (protocol of
 * Waiters). Loop thread only.
 *
 * A permit released while tasks wait goes straight to the first of them: wakeNext() takes it from
 * `value` when it wakes the task (as asyncio 3.13 does), so the woken task owns it before it runs
 * and newcomers cannot take it meanwhile (FIFO). A task woken and then cancelled before it ran
 * gives its permit back and wakes the next waiter (L13); one cancelled while still waiting owns
 * nothing.
 *
 * Invariant (between calls): value > 0 => no listed task is parked, since a task parks only when
 * value == 0 and every change that makes value positive (release, a permit given back) is
 * followed by wakeNext(). So locked() is asyncio's "value is 0 or a waiter that is not cancelled
 * exists" (L11) without scanning the list.
 */

/**
 * A counting semaphore for the tasks of one event loop: asyncio's {@code Semaphore}. It holds a
 * number of permits; {@link #acquire()} takes one, waiting while there is none, and
 * {@link #release()} gives one back.
 *
 * {@snippet :
 * Semaphore connections = new Semaphore(10);
 * try (var _ = connections.acquire()) {   // async with connections:
 *     fetch(url);                         // at most 10 tasks here at a time
 * }
 * }
 *
 * <p>Waiting tasks get permits in the order they asked for them. A task cancelled while waiting
 * leaves the queue; one cancelled after a permit was handed to it but before it ran gives the
 * permit to the next waiter, so no permit is lost. {@code acquire()} returns a {@link Held} whose
 * {@code close()} releases the permit, for try-with-resources (see {@link Lock} for why).
 *
 * <p>{@link #release()} may raise the count above the initial value; {@link BoundedSemaphore}
 * refuses that. Permits are not owned: any task or callback may release one. Not thread-safe: use
 * it from the tasks and callbacks of one loop. The semaphore binds to the loop of the first task
 * that waits for it.
 */
public sealed class Semaphore permits BoundedSemaphore {
    private final ParkingLot waiters = new ParkingLot(this, null);
    private final Held held = this::release;
    /** A waiter woken with a permit was cancelled before it ran: the permit goes back (L13). */
    private final Runnable givePermitBack = () -> {
        this.value++;
        wakeNext();
    };
    /** The free permits. */
    int value;
    private EventLoopImpl loop;

    /**
     * Creates a semaphore with a number of permits.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0: " + value);
        }
        this.value = value;
    }

    /**
     * Takes a permit, waiting while there is none or other tasks wait for one (FIFO). Returns at
     * once, without suspending or checking for cancellation, if a permit is free and no task
     * waits. Suspends; checks for cancellation: a task cancelled while waiting takes no permit.
     *
     * @return a {@link Held} whose {@code close()} releases the permit, for try-with-resources
     * @throws IllegalStateException if not called from a task, or if the semaphore is bound to
     *     another event loop
     */
    public Held acquire() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("Semaphore.acquire()");
        if (!locked()) {
            value--;
            return held;
        }
        loop = ParkingLot.bind(loop, t, this);
        waiters.park(t, givePermitBack);
        // wakeNext() already took our permit from value
        return held;
    }

    /**
     * Gives a permit back, handing it to the first waiting task if any. Never suspends.
     *
     * @throws IllegalStateException if the count would overflow, or, for a
     *     {@link BoundedSemaphore}, exceed its initial value
     */
    public void release() {
        if (value == Integer.MAX_VALUE) {
            throw new IllegalStateException(getClass().getSimpleName() + " count would overflow");
        }
        value++;
        wakeNext();
    }

    /**
     * {@return whether {@link #acquire()} would wait} True when no permit is free or when tasks
     * (not cancelled ones) wait for one. Never suspends.
     */
    public boolean locked() {
        // asyncio: value == 0 or a waiter that is not cancelled; by the invariant the second part
        // can only hold when value == 0
        assert value == 0 || !waiters.hasParked() : "a free permit and a parked waiter: " + this;
        return value == 0;
    }

    /** Hands free permits to waiting tasks, one each, first come first served. */
    private void wakeNext() {
        while (value > 0 && waiters.wakeFirst() != null) {
            value--;
        }
    }

    @Override
    public String toString() {
        int n = waiters.countParked();
        return "<" + getClass().getSimpleName() + " " + (value == 0 ? "locked" : "unlocked") + " value=" + value
                + (n == 0 ? "" : " waiters=" + n) + ">";
    }
}
