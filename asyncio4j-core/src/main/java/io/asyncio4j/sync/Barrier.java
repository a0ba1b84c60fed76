package io.asyncio4j.sync;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.ParkingLot;

/*
 * Implementation overview
 *
 * asyncio's Barrier state machine, with two waiter lists (ParkingLots) instead of a
 * Condition: no lock is needed, since nothing runs between the checks and the waits but the
 * calling task.
 *
 *            the last party arrives                 the last task leaves (count == 0)
 *   FILLING ------------------------> DRAINING ------------------------------------> FILLING
 *      |  reset() with tasks inside                                                    ^
 *      +-------------------------> RESETTING -- the last task leaves ------------------+
 *      |  abort() (from any state)                                                     |
 *      +-------------------------> BROKEN ---- reset() (at once if empty, else via RESETTING)
 *
 * `count` is the number of tasks inside the barrier (arrived, not yet left). `arrived` holds
 * those waiting for the barrier to trip (state FILLING); `blocked` holds tasks that came while it
 * drains or resets and wait for the next round. Every state change wakes the lists whose tasks
 * must re-check it; a woken task re-checks in a loop, as asyncio's wait_for does.
 *
 * A task cancelled while inside just leaves (count--), as in asyncio: the barrier is not broken
 * and needs one more arrival. A task woken by the trip but cancelled before it ran throws the
 * cancellation; the others are released all the same.
 */

/**
 * A cyclic barrier for the tasks of one event loop: asyncio's {@code Barrier}. Tasks wait at it
 * until {@code parties} of them have arrived; then all are released together, and the barrier
 * can be used again.
 *
 * {@snippet :
 * Barrier barrier = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     createTask(() -> {
 *         prepare();
 *         int index = barrier.arriveAndWait();   // 0, 1, 2 in arrival order
 *         if (index == 0) log("all prepared");
 *         proceed();
 *     });
 * }
 * }
 *
 * <p>asyncio's {@code wait()} is {@link #arriveAndWait()} ({@code wait} is taken by
 * {@link Object#wait()}; the name of the JDK's {@code Phaser.arriveAndAwaitAdvance}). asyncio's
 * {@code async with barrier} only waits, so there is no try-with-resources form.
 * {@link #reset()} and {@link #abort()} are coroutines in asyncio because they take an internal
 * lock; here they never suspend and may be called from callbacks too.
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop. The barrier binds to the
 * loop of the first task that waits at it.
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final int parties;
    private final ParkingLot arrived = new ParkingLot(this, null);
    private final ParkingLot blocked = new ParkingLot(this, null);
    private State state = State.FILLING;
    /** The tasks inside the barrier: arrived and not yet left. */
    private int count;
    private EventLoopImpl loop;

    /**
     * Creates a barrier for a number of parties.
     *
     * @param parties how many tasks must arrive before all are released
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1: " + parties);
        }
        this.parties = parties;
    }

    /**
     * Arrives at the barrier and waits until {@code parties} tasks have arrived, then returns
     * together with them: asyncio's {@code Barrier.wait()}. A task arriving while the barrier is
     * still releasing the previous round waits for that round to end first. The last task to
     * arrive releases the others and returns without suspending. Suspends; checks for
     * cancellation: a task cancelled while waiting leaves the barrier, which then needs one more
     * arrival.
     *
     * @return the arrival index of this task in its round: 0 for the first, {@code parties - 1}
     *     for the last
     * @throws BrokenBarrierError if the barrier is broken, or is broken or reset while this task
     *     waits
     * @throws IllegalStateException if not called from a task, or if the barrier is bound to
     *     another event loop
     */
    public int arriveAndWait() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("Barrier.arriveAndWait()");
        while (state == State.DRAINING || state == State.RESETTING) {
            // the previous round is still leaving: wait for the next one
            park(blocked, t);
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted");
        }
        if (count + 1 < parties) {
            // this task will wait: bind before it counts as arrived
            loop = ParkingLot.bind(loop, t, this);
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                state = State.DRAINING;
                arrived.wakeAll();
            } else {
                while (state == State.FILLING) {
                    park(arrived, t);
                }
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BrokenBarrierError("Abort or reset of barrier");
                }
            }
            return index;
        } finally {
            count--;
            if (count == 0) {
                // the last task out ends the round: the barrier fills again (unless it is broken)
                if (state == State.DRAINING || state == State.RESETTING) {
                    state = State.FILLING;
                }
                blocked.wakeAll();
            }
        }
    }

    /**
     * Resets the barrier to its empty, usable state. Tasks waiting at it get a
     * {@link BrokenBarrierError}; a broken barrier is repaired. Never suspends.
     */
    public void reset() {
        if (count > 0) {
            // the waiting tasks raise, and the last of them to leave sets FILLING
            state = State.RESETTING;
        } else {
            state = State.FILLING;
        }
        arrived.wakeAll();
        blocked.wakeAll();
    }

    /**
     * Breaks the barrier: tasks waiting at it, and tasks arriving later, get a
     * {@link BrokenBarrierError} until {@link #reset()}. Use it when a party fails, so that the
     * others stop waiting for it. Never suspends.
     */
    public void abort() {
        state = State.BROKEN;
        arrived.wakeAll();
        blocked.wakeAll();
    }

    /** {@return the number of tasks needed to trip the barrier} Never suspends. */
    public int parties() {
        return parties;
    }

    /** {@return the number of tasks waiting for the barrier to trip (0 while it drains or resets)} Never suspends. */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** {@return whether the barrier is broken} Never suspends. */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /** Parks the task in a list until woken; a cancelled task leaves the list and throws. */
    private void park(ParkingLot list, TaskImpl<?> t) {
        loop = ParkingLot.bind(loop, t, this);
        // nothing to pass on: a wake-up here is a state change every woken task sees for itself
        list.park(t);
    }

    @Override
    public String toString() {
        return "<Barrier " + state.name().toLowerCase(java.util.Locale.ROOT) + " waiters=" + nWaiting() + "/"
                + parties + ">";
    }
}
