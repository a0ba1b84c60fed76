package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TourTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int tour(String... selectors) {
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return Tour.tour(List.of(selectors), o, e);
        }
    }

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void runsTheExamplesNamedByNumberNameOrClassInTheOrderGiven() {
        int status = tour("7", "HELLO", "Hello");

        assertEquals(0, status);
        assertEquals(List.of(
                "== 7. exceptions ==",
                "Caught error: Something went wrong!",
                "Task 0 succeeded: Success!",
                "Task 1 failed: Something went wrong!",
                "Task 2 succeeded: Success!",
                "",
                "== 1. hello ==",
                "hello"), outLines());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listNamesEveryExampleInOrder() {
        int status = tour("--list");

        assertEquals(0, status);
        assertEquals(List.of(
                "1  hello",
                "2  two-tasks",
                "3  gather-basics",
                "4  gather-results",
                "5  sequential-vs-concurrent",
                "6  wait-for-timeout",
                "7  exceptions",
                "8  async-context-manager",
                "9  concurrent-fetch",
                "10  async-iterator",
                "11  async-generator",
                "12  crawler",
                "13  echo",
                "14  concurrent-commands",
                "15  live-output",
                "16  pipeline"), outLines());
    }

    @Test
    void unknownExampleRunsNothingAndExitsWithStatusTwo() {
        int status = tour("hello", "17", "nope");

        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("no example named 17, nope"), message);
    }
}
