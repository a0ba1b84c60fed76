package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaitForTimeoutTest {

    @Test
    void waitForAbandonsTheFiveSecondOperationAfterTwoSeconds() {
        Run run = Run.of(WaitForTimeout::demo);

        assertEquals(List.of("Operation timed out!"), run.lines());
        // Well under five seconds: the operation was interrupted, not waited for.
        run.assertTookBetween(1.99, 3.5);
    }
}
