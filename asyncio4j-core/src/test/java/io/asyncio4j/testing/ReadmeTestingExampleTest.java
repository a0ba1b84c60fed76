package io.asyncio4j.testing;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.queue.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The README's "Testing your code" example, as it stands there. */
class ReadmeTestingExampleTest {
    @AsyncioTest(virtualClock = true)
    void aSlowCallTimesOutAtItsDeadline(VirtualClock clock) {
        assertThrows(TimeoutError.class, () -> waitFor(() -> {
            sleep(Duration.ofHours(2));
            return "late";
        }, Duration.ofHours(1)));
        assertEquals(Duration.ofHours(1), clock.elapsed());     // exact, and instant
    }

    @AsyncioTest
    void theWorkerDrainsTheQueue() {
        Queue<String> q = new Queue<>();
        List<String> seen = new ArrayList<>();
        Task<Void> worker = createTask(() -> {
            while (true) {
                seen.add(q.get());
            }
        });
        q.putNowait("a");
        q.putNowait("b");
        Testing.waitAllTasksBlocked();                          // everything settled
        assertEquals(List.of("a", "b"), seen);
        worker.cancel();                                        // or the test fails: a task leaked
    }
}
