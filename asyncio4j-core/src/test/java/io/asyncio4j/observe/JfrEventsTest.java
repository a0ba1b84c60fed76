package io.asyncio4j.observe;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The loop's JFR events, recorded in this JVM and read back with jdk.jfr.consumer. */
@Timeout(60)
class JfrEventsTest {

    private static void spinFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> all, String name) {
        return all.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    @Test
    void taskSlowStepLagAndStatisticsEventsAreRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.jfr");
        try (Recording r = new Recording()) {
            r.enable("io.asyncio4j.TaskCreated");
            r.enable("io.asyncio4j.TaskFinished");
            r.enable("io.asyncio4j.SlowStep");
            r.enable("io.asyncio4j.LoopLag").withPeriod(Duration.ofMillis(100));
            r.enable("io.asyncio4j.LoopStatistics").withPeriod(Duration.ofMillis(100));
            r.start();
            Asyncio.run(() -> {
                getRunningLoop().setSlowCallbackDuration(Duration.ofMillis(50));
                await(createTask("jfr-ok", () -> "fine"));
                Task<?> failing = createTask("jfr-fails", () -> {
                    throw new IllegalStateException("boom");
                });
                assertThrows(IllegalStateException.class, () -> await(failing));
                Task<?> cancelled = createTask("jfr-cancelled", () -> sleep(Duration.ofDays(1)));
                sleep(Duration.ZERO);
                cancelled.cancel();
                assertThrows(CancelledError.class, () -> await(cancelled));
                await(createTask("unnamed-slow", () -> spinFor(120)));
                getRunningLoop().setDebug(true); // names the task and samples its stack
                await(createTask("jfr-slow", () -> spinFor(120)));
                getRunningLoop().setDebug(false);
                sleep(Duration.ofMillis(400)); // periodic events
            });
            io.asyncio4j.internal.observe.JfrEvents.awaitCommitted();
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> created = named(events, "io.asyncio4j.TaskCreated");
        assertTrue(created.stream().anyMatch(e -> "jfr-ok".equals(e.getString("taskName"))), created.toString());
        List<RecordedEvent> finished = named(events, "io.asyncio4j.TaskFinished");
        assertEquals("result", outcome(finished, "jfr-ok"));
        assertEquals("failed", outcome(finished, "jfr-fails"));
        assertTrue(finished.stream().filter(e -> "jfr-fails".equals(e.getString("taskName")))
                .allMatch(e -> e.getString("error").contains("boom")));
        assertEquals("cancelled", outcome(finished, "jfr-cancelled"));
        List<RecordedEvent> slow = named(events, "io.asyncio4j.SlowStep");
        assertEquals(2, slow.size(), slow.toString());
        assertEquals("a task's step (debug mode names the task)", slow.getFirst().getString("step"), slow.toString());
        assertTrue(slow.get(1).getString("step").contains("jfr-slow"), slow.toString());
        assertTrue(slow.get(1).getString("where").contains("spinFor"), slow.toString());
        assertTrue(slow.get(1).getLong("tookNanos") >= TimeUnit.MILLISECONDS.toNanos(120), slow.toString());
        List<RecordedEvent> lag = named(events, "io.asyncio4j.LoopLag");
        assertTrue(!lag.isEmpty(), "a lag probe ran");
        assertTrue(lag.stream().allMatch(e -> e.getLong("lagNanos") >= 0), lag.toString());
        List<RecordedEvent> stats = named(events, "io.asyncio4j.LoopStatistics");
        assertTrue(stats.stream().anyMatch(e -> e.getLong("iterations") > 0), stats.toString());
    }

    private static String outcome(List<RecordedEvent> finished, String task) {
        List<RecordedEvent> mine = finished.stream().filter(e -> task.equals(e.getString("taskName"))).toList();
        assertEquals(1, mine.size(), finished.toString());
        return mine.getFirst().getString("outcome");
    }

    @Test
    void withoutARecordingNothingIsTimedOrRecorded() {
        // the events are off: a slow step outside debug mode is neither logged nor an error
        Asyncio.run(() -> await(createTask(() -> spinFor(20))));
        assertTrue(!new Recording().getSettings().containsKey("io.asyncio4j.TaskCreated#enabled"));
    }
}
