package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncCounterTest {

    @Test
    void anAsyncIteratorCountsToFiveSuspendingATenthOfASecondPerStep() {
        Run run = Run.of(AsyncCounter::demo);

        assertEquals(List.of("1", "2", "3", "4", "5"), run.lines());
        run.assertTookBetween(0.49, 1.5);
    }

    @Test
    void theAsyncGeneratorVersionPrintsTheSameInTheSameTime() {
        Run run = Run.of(AsyncCounterGenerator::demo);

        assertEquals(List.of("1", "2", "3", "4", "5"), run.lines());
        run.assertTookBetween(0.49, 1.5);
    }
}
