package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrentFetchTest {

    @Test
    void threeOneSecondFetchesTakeAboutOneSecondTogether() {
        Run run = Run.of(ConcurrentFetch::demo);

        assertEquals(List.of("Fetched 3 URLs in N.NN sec"), run.linesWithoutTimes());
        Run.assertBetween(0.99, run.printedSeconds(0), 1.8, "the printed time");
        run.assertTookBetween(0.99, 2.5);
    }
}
