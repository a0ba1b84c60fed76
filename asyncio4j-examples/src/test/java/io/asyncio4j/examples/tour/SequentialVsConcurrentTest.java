package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialVsConcurrentTest {

    @Test
    void sequentialGreetingsTakeAboutTwoSecondsAndConcurrentOnesAboutOne() {
        Run run = Run.of(SequentialVsConcurrent::demo);

        assertEquals(List.of(
                "Hello, Alice!",
                "Hello, Bob!",
                "Sequential: N.NN seconds",
                "Hello, Alice!",
                "Hello, Bob!",
                "Concurrent: N.NN seconds"), run.linesWithoutTimes());
        Run.assertBetween(1.99, run.printedSeconds(2), 2.8, "the sequential greetings");
        Run.assertBetween(0.99, run.printedSeconds(5), 1.8, "the concurrent greetings");
        run.assertTookBetween(2.9, 4.5);
    }
}
