package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GatherBasicsTest {

    @Test
    void gatherStartsAllThreeBeforeAnyEndsInAboutOneSecond() {
        Run run = Run.of(GatherBasics::demo);

        assertEquals(List.of("start", "start", "start", "end", "end", "end"), run.lines());
        run.assertTookBetween(0.99, 2.5);
    }
}
