package io.asyncio4j.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.queue.CrossLoopQueue;
import io.asyncio4j.queue.QueueFull;
import io.asyncio4j.queue.QueueShutDown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CrossLoopQueue: hand-offs between loops and threads, one wake-up per burst. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossLoopQueueTest {

    record Item(String producer, int seq) {
    }

    @Test
    void itemsOfEveryProducerArriveAllAndInEachProducersOrder() throws Exception {
        try (LoopGroup group = LoopGroup.open(3)) {
            CrossLoopQueue<Item> q = new CrossLoopQueue<>(group.loop(0), 64);
            int each = 5_000;
            CompletableFuture<Map<String, List<Integer>>> consumed = group.submit(0, () -> {
                Map<String, List<Integer>> got = new HashMap<>();
                for (int k = 0; k < 3 * each; k++) {
                    Item it = q.get();
                    got.computeIfAbsent(it.producer(), p -> new ArrayList<>()).add(it.seq());
                }
                return got;
            });
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int loop = 1; loop <= 2; loop++) {
                String name = "loop" + loop;
                producers.add(group.submit(loop, () -> {
                    for (int k = 0; k < each; k++) {
                        q.put(new Item(name, k)); // suspends while 64 are queued
                    }
                }));
            }
            Thread thread = Thread.ofPlatform().start(() -> {
                for (int k = 0; k < each; k++) {
                    q.put(new Item("thread", k)); // blocks while full
                }
            });
            Map<String, List<Integer>> got = consumed.get(20, TimeUnit.SECONDS);
            thread.join(5_000);
            for (String p : List.of("loop1", "loop2", "thread")) {
                List<Integer> seqs = got.get(p);
                assertEquals(each, seqs.size(), p);
                for (int k = 0; k < each; k++) {
                    assertEquals(k, seqs.get(k), p + " in order");
                }
            }
            assertEquals(0, q.qsize());
            for (CompletableFuture<Void> f : producers) {
                assertTrue(f.isDone());
            }
        }
    }

    @Test
    void aBurstWakesTheConsumersLoopOnce() throws Exception {
        try (LoopGroup group = LoopGroup.open(1)) {
            CrossLoopQueue<Integer> q = new CrossLoopQueue<>(group.loop(0));
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            group.loop(0).callSoonThreadsafe(() -> {
                busy.countDown();
                try {
                    release.await(); // the consumer's loop is busy while the burst arrives
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            for (int k = 0; k < 1_000; k++) {
                q.putNowait(k);
            }
            assertEquals(new CrossLoopQueue.Statistics(1_000, 1), q.statistics());
            release.countDown();
            List<Integer> got = group.submit(0, () -> {
                List<Integer> out = new ArrayList<>();
                for (int k = 0; k < 1_000; k++) {
                    out.add(q.get());
                }
                return out;
            }).get(5, TimeUnit.SECONDS);
            assertEquals(1_000, got.size());
            assertEquals(999, got.get(999));
            assertEquals(1, q.statistics().wakeups(), "one callback for the whole burst");
        }
    }

    @Test
    void aFullQueueRefusesPutNowaitAndSuspendsPutUntilTheConsumerTakes() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0), 1);
            q.putNowait("a");
            assertThrows(QueueFull.class, () -> q.putNowait("b"));
            AtomicBoolean putReturned = new AtomicBoolean();
            CompletableFuture<Void> put = group.submit(1, () -> {
                q.put("b");
                putReturned.set(true);
            });
            Thread.sleep(100);
            assertFalse(putReturned.get(), "put waits while the queue is full");
            assertEquals("a", group.submit(0, q::get).get(5, TimeUnit.SECONDS));
            put.get(5, TimeUnit.SECONDS);
            assertEquals("b", group.submit(0, q::get).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCancelledPutAddsNothingAndACancelledGetLosesNoItem() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0), 1);
            q.putNowait("first");
            CompletableFuture<Void> put = group.submit(1, () -> q.put("never"));
            Thread.sleep(50);
            put.cancel(false);
            assertThrows(java.util.concurrent.CancellationException.class, () -> put.get(5, TimeUnit.SECONDS));
            assertEquals("first", group.submit(0, q::get).get(5, TimeUnit.SECONDS));
            assertEquals(0, q.qsize(), "the cancelled put added nothing");
            // a getter cancelled while waiting, then an item: the next getter has it
            String got = group.submit(0, () -> {
                var waiting = Asyncio.createTask(q::get);
                Asyncio.sleep(Duration.ofMillis(10));
                waiting.cancel();
                assertThrows(CancelledError.class, () -> Asyncio.await(waiting));
                q.putNowait("kept");
                return q.get();
            }).get(5, TimeUnit.SECONDS);
            assertEquals("kept", got);
        }
    }

    @Test
    void shutdownFailsPutsThenTheConsumerTakesWhatIsLeftThenGetsFail() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0), 2);
            q.putNowait("x");
            q.putNowait("y");
            CompletableFuture<Throwable> blockedPut = group.submit(1, () -> {
                try {
                    q.put("z");
                    return null;
                } catch (QueueShutDown e) {
                    return e;
                }
            });
            Thread.sleep(50);
            q.shutdown();
            assertTrue(blockedPut.get(5, TimeUnit.SECONDS) instanceof QueueShutDown, "a waiting putter fails");
            assertThrows(QueueShutDown.class, () -> q.putNowait("late"));
            List<String> left = group.submit(0, () -> {
                List<String> out = new ArrayList<>();
                out.add(q.get());
                out.add(q.get());
                assertThrows(QueueShutDown.class, q::get);
                return out;
            }).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("x", "y"), left);
            assertTrue(q.isShutdown());
        }
    }

    @Test
    void aWaitingGetterIsWokenByShutdown() throws Exception {
        try (LoopGroup group = LoopGroup.open(1)) {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0));
            CompletableFuture<Throwable> getter = group.submit(0, () -> {
                try {
                    return (Throwable) (Object) q.get();
                } catch (QueueShutDown e) {
                    return e;
                }
            });
            Thread.sleep(50);
            q.shutdown();
            assertTrue(getter.get(5, TimeUnit.SECONDS) instanceof QueueShutDown);
        }
    }

    @Test
    void aGetterWaitingLongerThanTheDeadlockGraceForAnotherThreadIsNoDeadlock() {
        // Asyncio.run turns the deadlock detector on: a main whose only wait is a get fed by
        // another thread after the detector's one-second grace must get its item, not a DeadlockError
        String got = Asyncio.run(() -> {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(Asyncio.getRunningLoop());
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(1_600);
                } catch (InterruptedException e) {
                    return;
                }
                q.putNowait("late");
            });
            return q.get();
        });
        assertEquals("late", got);
    }

    @Test
    void onlyTheConsumersLoopTakes() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0));
            q.putNowait("x");
            Throwable e = group.submit(1, q::get).handle((v, x) -> x).get(5, TimeUnit.SECONDS);
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("consumed on its own loop"),
                    String.valueOf(e));
            assertThrows(IllegalStateException.class, q::getNowait);
            assertEquals("x", group.submit(0, q::getNowait).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void puttingToAClosedLoopFails() {
        LoopGroup group = LoopGroup.open(1);
        CrossLoopQueue<String> q = new CrossLoopQueue<>(group.loop(0));
        group.close();
        assertThrows(IllegalStateException.class, () -> q.putNowait("x"));
    }
}
