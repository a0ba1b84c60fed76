package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tour's child-process examples: concurrent commands, live output, a pipeline to a file. */
class ProcessExamplesTest {

    @Test
    void fiveOneSecondCommandsTakeAboutOneSecond() {
        Run run = Run.of(ConcurrentCommands::demo);

        List<String> lines = run.linesWithoutTimes();
        assertEquals(6, lines.size(), lines.toString());
        for (int i = 0; i < 5; i++) {
            assertTrue(lines.subList(0, 5).contains("sleep " + i + " exited with 0"), lines.toString());
        }
        assertEquals("5 commands in N.NN seconds", lines.get(5));
        Run.assertBetween(0.99, run.printedSeconds(5), 2.0, "five sleep 1 at once");
    }

    @Test
    void eachLineIsPrintedWhenTheCommandWritesIt() {
        Run run = Run.of(LiveOutput::demo);

        assertEquals(List.of("N.NN step 1", "N.NN step 2", "N.NN step 3", "exit 0"), run.linesWithoutTimes());
        assertTrue(run.printedSeconds(0) < 0.25, "the first line before the command sleeps: " + run.lines());
        Run.assertBetween(0.25, run.printedSeconds(1), 0.9, "the second line, a sleep later");
        Run.assertBetween(0.55, run.printedSeconds(2), 1.5, "the third line, two sleeps later");
    }

    @Test
    void thePipelineSortsCompressesAndWritesTheNumbers() {
        Run run = Run.of(Pipeline::demo);

        assertEquals(List.of(
                "sorted input: 10000 numbers",
                "sorted input: 20000 numbers",
                "sorted input: 30000 numbers",
                "sorted input: 40000 numbers",
                "sorted input: 50000 numbers",
                "exit codes: seq 0, sort 0, gzip 0",
                "wrote a gzip file",
                "first line 50000, 50000 lines"), run.lines());
    }
}
