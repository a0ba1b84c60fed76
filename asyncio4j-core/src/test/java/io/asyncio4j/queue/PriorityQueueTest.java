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
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** PriorityQueue returns its smallest item first (ASYNCIO-SEMANTICS M4). */
class PriorityQueueTest {

    @Test
    void smallestItemComesOutFirst() {
        AsyncTesting.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(0);
            for (int i : List.of(5, 1, 4, 2, 3)) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) {
                out.add(q.get());
            }
            assertEquals(List.of(1, 2, 3, 4, 5), out);
        });
    }

    @Test
    void comparatorDefinesThePriority() {
        AsyncTesting.run(() -> {
            PriorityQueue<String> q = new PriorityQueue<>(0, Comparator.comparing(String::length));
            q.putNowait("ccc");
            q.putNowait("a");
            q.putNowait("bb");
            assertEquals("a", q.getNowait());
            assertEquals("bb", q.getNowait());
            assertEquals("ccc", q.getNowait());
        });
    }

    @Test
    void boundedPriorityQueueWaitsForRoomAndKeepsJoinSemantics() {
        AsyncTesting.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(2);
            q.putNowait(3);
            q.putNowait(2);
            assertTrue(q.isFull());
            assertThrows(QueueFull.class, () -> q.putNowait(9));
            Task<Void> putter = createTask(() -> q.put(1));
            sleep(Duration.ofMillis(5));
            assertEquals(2, q.getNowait());
            await(putter);
            assertEquals(1, q.getNowait());
            assertEquals(3, q.getNowait());
            for (int i = 0; i < 3; i++) {
                q.taskDone();
            }
            q.join();
        });
    }
}
