package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TwoTasksTest {

    @Test
    void bothTasksStartBeforeEitherEndsAndTogetherTakeAboutOneSecond() {
        Run run = Run.of(TwoTasks::demo);

        assertEquals(List.of(
                "Task 1 started",
                "Task 2 started",
                "Task 1 done",
                "Task 2 done",
                "Both tasks done in N.NN seconds"), run.linesWithoutTimes());
        Run.assertBetween(0.99, run.printedSeconds(4), 1.8, "the printed time");
        run.assertTookBetween(0.99, 2.5);
    }
}
