package io.asyncio4j.internal.loop;

import io.asyncio4j.internal.task.ParkingLot;
import io.asyncio4j.internal.task.TaskImpl;

/**
 * Tasks waiting until every other task of the loop is blocked (trio's
 * {@code wait_all_tasks_blocked}): the loop wakes the first of them, one per iteration, when an
 * iteration finds nothing ready, no I/O ready and no timer due. Loop thread only.
 */
final class AllBlockedWaiters {
    private final ParkingLot waiters = new ParkingLot();

    boolean isEmpty() {
        return !waiters.hasParked();
    }

    void await(EventLoopImpl loop) {
        TaskImpl<?> t = TaskImpl.currentOrThrow("waitAllTasksBlocked()");
        if (t.loop() != loop) {
            throw new IllegalArgumentException("waitAllTasksBlocked() for another loop than the caller's");
        }
        waiters.park(t);
    }

    void wakeOne(EventLoopImpl loop) {
        waiters.wakeFirst();
    }
}
