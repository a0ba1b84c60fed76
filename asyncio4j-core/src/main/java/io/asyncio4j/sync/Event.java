package io.asyncio4j.sync;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.ParkingLot;

/**
 * A flag that tasks can wait for until another task or callback sets it: asyncio's {@code Event}.
 *
 * {@snippet :
 * Event ready = new Event();
 * createTask(() -> { ready.waitUntilSet(); System.out.println("go"); });
 * ready.set();                         // wakes every task waiting now
 * }
 *
 * <p>{@link #set()} wakes every task waiting at that moment; they return even if the event is
 * cleared again before they run. Waiting on a set event returns at once.
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop (set it from another thread
 * with {@code loop.callSoonThreadsafe(event::set)}). The event binds to the loop of the first task
 * that waits for it.
 */
public final class Event {
    /* Waiters follow the protocol of Waiters; set() empties the list of parked tasks at once. */
    private final ParkingLot waiters = new ParkingLot(this, null);
    private boolean value;
    private EventLoopImpl loop;

    /** Creates an event that is not set. */
    public Event() {
    }

    /**
     * Sets the event and wakes every task waiting for it; tasks that wait later return at once
     * until {@link #clear()}. Setting a set event does nothing. Never suspends.
     */
    public void set() {
        if (!value) {
            value = true;
            waiters.wakeAll();
        }
    }

    /** Clears the event: tasks that wait from now on wait for the next {@link #set()}. Never suspends. */
    public void clear() {
        value = false;
    }

    /** {@return whether the event is set} Never suspends. */
    public boolean isSet() {
        return value;
    }

    /**
     * Waits until the event is set: asyncio's {@code Event.wait()} ({@code wait} is taken by
     * {@link Object#wait()}). Returns at once, without suspending or checking for cancellation,
     * if the event is set. A task woken by {@link #set()} returns even if the event was cleared
     * before it ran. Suspends; checks for cancellation.
     *
     * @throws IllegalStateException if not called from a task, or if the event is bound to another
     *     event loop
     */
    public void waitUntilSet() {
        if (value) {
            return;
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("Event.waitUntilSet()");
        loop = ParkingLot.bind(loop, t, this);
        // a waiter woken and then cancelled holds nothing to pass on: every waiter was woken
        waiters.park(t);
    }

    @Override
    public String toString() {
        int n = waiters.countParked();
        return "<Event " + (value ? "set" : "unset") + (n == 0 ? "" : " waiters=" + n) + ">";
    }
}
