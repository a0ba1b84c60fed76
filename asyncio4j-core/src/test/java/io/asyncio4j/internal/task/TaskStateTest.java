package io.asyncio4j.internal.task;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Testing;
import java.time.Duration;

/** The task's named states, and that an illegal transition fails loudly (the tests run with -ea). */
class TaskStateTest {

    @AsyncioTest
    void aTaskMovesThroughCreatedReadyRunningParkedDone() {
        ParkingLot lot = new ParkingLot();
        Task<Void> t = createTask(() -> lot.park(TaskImpl.current()));
        TaskImpl<?> k = (TaskImpl<?>) t;
        assertFalse(k.isParked() || t.isDone(), "queued, not run yet: READY");
        Testing.waitAllTasksBlocked();
        assertTrue(k.isParked());
        assertTrue(lot.hasParked());
        lot.wakeFirst();
        assertFalse(k.isParked(), "woken: READY");
        sleep(Duration.ZERO);
        assertTrue(t.isDone());
    }

    @AsyncioTest
    void wakingARunningTaskIsABugThatFailsAnAssertion() {
        assertThrows(AssertionError.class, () -> TaskImpl.current().wake());
    }

    @AsyncioTest
    void wakingAParkedTaskTwiceIsABugThatFailsAnAssertion() {
        ParkingLot lot = new ParkingLot();
        Task<Void> t = createTask(() -> lot.park(TaskImpl.current()));
        Testing.waitAllTasksBlocked();
        TaskImpl<?> k = (TaskImpl<?>) t;
        k.wake();
        assertThrows(AssertionError.class, k::wake);
        sleep(Duration.ZERO);
        assertEquals(0, lot.countParked());
    }
}
