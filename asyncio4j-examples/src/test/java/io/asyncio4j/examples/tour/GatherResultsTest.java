package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GatherResultsTest {

    @Test
    void gatherRunsThreeTasksConcurrentlyInAboutThreeSeconds() {
        Run run = Run.of(GatherResults::demo);

        // Argument order, although B finishes first and C last.
        assertEquals(List.of("Results: [Result from A, Result from B, Result from C]"), run.lines());
        run.assertTookBetween(2.9, 4.5);
    }
}
