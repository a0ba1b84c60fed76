package io.asyncio4j.stress;

import static io.asyncio4j.Asyncio.allTasks;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gatherSettled;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static io.asyncio4j.Asyncio.timeout;
import static io.asyncio4j.Asyncio.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Outcome;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.sync.Lock;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.testing.AsyncioTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cancellation storms: a hundred thousand tasks waiting in sleeps, locks, queues, nested task
 * groups and timeouts are cancelled at random moments; every one must end (cancelled or done),
 * every lock be free and every queue slot accounted for afterwards, and nothing leak.
 */
class CancellationStormStressTest {

    @AsyncioTest(virtualClock = true, timeoutSeconds = 240)
    void aHundredThousandTasksCancelledAtRandomAllEndAndLeaveTheirPrimitivesUsable() {
        SplittableRandom random = new SplittableRandom(7);
        Lock lock = new Lock();
        Queue<Integer> queue = new Queue<>(64);
        int n = 100_000;
        List<Task<Integer>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(5);
            long ms = 1 + random.nextInt(50);
            tasks.add(createTask(() -> switch (kind) {
                case 0 -> {
                    sleep(Duration.ofMillis(ms));
                    yield 0;
                }
                case 1 -> {
                    try (var _ = lock.acquire()) {
                        sleep(Duration.ofMillis(ms));
                    }
                    yield 1;
                }
                case 2 -> {
                    queue.put(1);
                    yield queue.get();
                }
                case 3 -> {
                    try (TaskGroup tg = taskGroup()) {
                        tg.createTask(() -> sleep(Duration.ofMillis(ms)));
                        tg.createTask(() -> sleep(Duration.ofMillis(ms * 2)));
                    }
                    yield 3;
                }
                default -> {
                    try (var _ = timeout(Duration.ofMillis(ms))) {
                        sleep(Duration.ofMillis(ms * 2));
                    } catch (io.asyncio4j.TimeoutError expected) {
                        // the storm may hit inside or outside the scope
                    }
                    yield 4;
                }
            }));
        }
        // the storm: cancel a random half, at random moments
        for (int round = 0; round < 50; round++) {
            sleep(Duration.ofMillis(1));
            for (int k = 0; k < n / 100; k++) {
                tasks.get(random.nextInt(n)).cancel();
            }
        }
        List<Outcome<Integer>> outcomes = await(gatherSettled(tasks));
        int cancelled = 0;
        for (Outcome<Integer> o : outcomes) {
            if (o instanceof Outcome.Failure<Integer> f) {
                throw new AssertionError("a task failed instead of ending cleanly", f.error());
            }
            if (o instanceof Outcome.Cancelled<Integer>) {
                cancelled++;
            }
        }
        assertTrue(cancelled > 0 && cancelled < n, "cancelled " + cancelled);
        assertTrue(!lock.locked(), "the lock is free again");
        while (!queue.isEmpty()) {
            queue.getNowait(); // puts that got in before their task was cancelled
        }
        try (var _ = lock.acquire()) {
            queue.put(42);
            assertEquals(42, queue.get());
        }
        assertEquals(1, allTasks().size(), "only the test's task is left");
    }
}
