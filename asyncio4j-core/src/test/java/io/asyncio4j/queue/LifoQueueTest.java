package io.asyncio4j.queue;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** LifoQueue returns its newest item first (ASYNCIO-SEMANTICS M4). */
class LifoQueueTest {

    @Test
    void newestItemComesOutFirst() {
        AsyncTesting.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(0);
            for (int i = 1; i <= 4; i++) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) {
                out.add(q.get());
            }
            assertEquals(List.of(4, 3, 2, 1), out);
        });
    }

    @Test
    void waitingGetterReceivesTheNextItemPut() {
        AsyncTesting.run(() -> {
            LifoQueue<String> q = new LifoQueue<>(0);
            Task<String> getter = createTask(q::get);
            sleep(Duration.ofMillis(5));
            q.putNowait("x");
            assertEquals("x", await(getter));
        });
    }

    @Test
    void shutdownAppliesToLifoQueuesToo() {
        AsyncTesting.run(() -> {
            LifoQueue<String> q = new LifoQueue<>(1);
            q.putNowait("a");
            q.shutdown();
            assertThrows(QueueShutDown.class, () -> q.put("b"));
            assertEquals("a", q.get());
            assertThrows(QueueShutDown.class, q::get);
            assertTrue(q.isShutdown());
        });
    }
}
