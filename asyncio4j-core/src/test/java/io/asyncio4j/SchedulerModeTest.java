package io.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.internal.task.Drivers;
import org.junit.jupiter.api.Test;

class SchedulerModeTest {

    @Test
    void suiteRunsOnTheSchedulerItWasConfiguredFor() {
        String expected = System.getProperty("asyncio4j.expectedScheduler");
        assumeTrue(expected != null, "not run by the build");
        assertEquals(expected, Drivers.mode());
    }

    @Test
    void schedulerModeTellsWhichSchedulerRunsTheTasks() {
        String expected = System.getProperty("asyncio4j.expectedScheduler");
        assumeTrue(expected != null, "not run by the build");
        assertEquals(expected.equals("fast") ? SchedulerMode.FAST : SchedulerMode.COMPAT, Asyncio.schedulerMode());
    }
}
