package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

    @Test
    void awaitedErrorIsCaughtAndGatherSettledReportsEachTaskInOrder() {
        Run run = Run.of(Exceptions::demo);

        assertEquals(List.of(
                "Caught error: Something went wrong!",
                "Task 0 succeeded: Success!",
                "Task 1 failed: Something went wrong!",
                "Task 2 succeeded: Success!"), run.lines());
        // 0.1 s for the caught error, then 0.1 s for the three tasks together.
        run.assertTookBetween(0.19, 1.5);
    }
}
