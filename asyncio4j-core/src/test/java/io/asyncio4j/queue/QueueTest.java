package io.asyncio4j.queue;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.AsyncTesting.Steps;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FIFO Queue: bounds, waiting, fairness, cancellation, join and shutdown (ASYNCIO-SEMANTICS M). */
class QueueTest {

    private static long nowMillis() {
        return getRunningLoop().time() / 1_000_000L;
    }

    // ------------------------------------------------------------------ size and bounds

    @Test
    void zeroOrNegativeMaxsizeMeansUnbounded() {
        AsyncTesting.runVirtual(() -> {
            for (Queue<Integer> q : List.of(new Queue<Integer>(), new Queue<Integer>(0), new Queue<Integer>(-3))) {
                for (int i = 0; i < 100; i++) {
                    q.putNowait(i);
                    assertFalse(q.isFull());
                }
                assertEquals(100, q.qsize());
            }
            assertEquals(0, new Queue<Integer>().maxsize());
            assertEquals(-3, new Queue<Integer>(-3).maxsize());
            assertEquals(2, new Queue<Integer>(2).maxsize());
        });
    }

    @Test
    void sizeEmptinessAndFullnessTrackTheItems() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(2);
            assertTrue(q.isEmpty());
            assertFalse(q.isFull());
            assertEquals(0, q.qsize());
            q.putNowait("a");
            assertFalse(q.isEmpty());
            assertFalse(q.isFull());
            q.putNowait("b");
            assertTrue(q.isFull());
            assertEquals(2, q.qsize());
            assertEquals("a", q.getNowait());
            assertEquals(1, q.qsize());
            assertFalse(q.isFull());
        });
    }

    @Test
    void putNowaitOnAFullQueueThrowsQueueFull() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("a");
            assertThrows(QueueFull.class, () -> q.putNowait("b"));
            assertEquals(1, q.qsize());
        });
    }

    @Test
    void getNowaitOnAnEmptyQueueThrowsQueueEmpty() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            assertThrows(QueueEmpty.class, q::getNowait);
        });
    }

    @Test
    void itemsComeOutFirstInFirstOut() {
        AsyncTesting.runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) {
                out.add(q.get());
            }
            assertEquals(List.of(0, 1, 2, 3, 4), out);
        });
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void getWaitsWhileTheQueueIsEmpty() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            getRunningLoop().callLater(Duration.ofMillis(20), () -> q.putNowait("late"));
            long start = nowMillis();
            assertEquals("late", q.get());
            assertEquals(20, nowMillis() - start);
        });
    }

    @Test
    void putWaitsWhileTheQueueIsFull() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            Task<Void> putter = createTask(() -> q.put("second"));
            sleep(Duration.ofMillis(10));
            assertFalse(putter.isDone(), "the putter waits for room");
            assertEquals(1, q.qsize());
            assertEquals("first", q.get());
            await(putter);
            assertEquals("second", q.getNowait());
        });
    }

    @Test
    void putAndGetDoNotYieldWhenTheyCanProceed() {
        AsyncTesting.runVirtual(() -> {
            Steps steps = new Steps();
            Queue<String> q = new Queue<>(1);
            steps.expect(1);
            Task<Void> other = createTask(() -> steps.expect(4));
            q.put("a");
            steps.expect(2);
            assertEquals("a", q.get());
            steps.expect(3);
            await(other);
            steps.finish(4);
        });
    }

    @Test
    void blockedGettersAreServedFirstComeFirstServed() {
        AsyncTesting.runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> got = new ArrayList<>();
            List<Task<Void>> getters = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                getters.add(createTask(() -> {
                    got.add(name + "=" + q.get());
                }));
                sleep(Duration.ofMillis(1)); // g1 waits first, then g2, then g3
            }
            for (int i = 1; i <= 3; i++) {
                q.putNowait(i);
            }
            for (Task<Void> g : getters) {
                await(g);
            }
            assertEquals(List.of("g1=1", "g2=2", "g3=3"), got);
        });
    }

    @Test
    void blockedPuttersAreServedFirstComeFirstServed() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("x");
            List<Task<Void>> putters = new ArrayList<>();
            for (String item : List.of("p1", "p2", "p3")) {
                putters.add(createTask(() -> q.put(item)));
                sleep(Duration.ofMillis(1));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                out.add(q.get());
            }
            for (Task<Void> p : putters) {
                await(p);
            }
            assertEquals(List.of("x", "p1", "p2", "p3"), out);
        });
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancelDuringQueueGetKeepsTheItem() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = createTask(q::get);
            sleep(Duration.ofMillis(5));
            getter.cancel();
            assertThrows(CancelledError.class, () -> await(getter));
            q.putNowait("item");
            assertEquals(1, q.qsize(), "the cancelled getter took nothing");
            assertEquals("item", q.get());
        });
    }

    @Test
    void getterWokenThenCancelledPassesTheItemToTheNextGetter() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> first = createTask(q::get);
            sleep(Duration.ofMillis(1));
            Task<String> second = createTask(q::get);
            sleep(Duration.ofMillis(1));
            q.putNowait("item"); // wakes the first getter...
            first.cancel(); // ...which is cancelled before it runs
            assertThrows(CancelledError.class, () -> await(first));
            assertEquals("item", await(second), "the item went to the next getter");
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void getTimingOutLosesNoItem() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            assertThrows(TimeoutError.class, () -> waitFor(q::get, Duration.ofMillis(10)));
            q.putNowait("item");
            assertEquals("item", q.getNowait());
        });
    }

    @Test
    void cancelledPutAddsNothing() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("a");
            Task<Void> putter = createTask(() -> q.put("b"));
            sleep(Duration.ofMillis(5));
            putter.cancel();
            assertThrows(CancelledError.class, () -> await(putter));
            assertEquals("a", q.getNowait());
            sleep(Duration.ofMillis(5));
            assertTrue(q.isEmpty(), "the cancelled put added nothing");
        });
    }

    @Test
    void putterWokenThenCancelledPassesTheSlotToTheNextPutter() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("a");
            Task<Void> first = createTask(() -> q.put("first"));
            sleep(Duration.ofMillis(1));
            Task<Void> second = createTask(() -> q.put("second"));
            sleep(Duration.ofMillis(1));
            assertEquals("a", q.getNowait()); // wakes the first putter...
            first.cancel(); // ...which is cancelled before it runs
            assertThrows(CancelledError.class, () -> await(first));
            await(second);
            assertEquals("second", q.getNowait());
            assertTrue(q.isEmpty());
        });
    }

    // ------------------------------------------------------------------ join

    @Test
    void joinWaitsUntilEveryItemIsMarkedDone() {
        AsyncTesting.runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> processed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                q.putNowait(i);
            }
            Task<Void> worker = createTask(() -> {
                while (true) {
                    int item = q.get();
                    sleep(Duration.ofMillis(5));
                    processed.add(item);
                    q.taskDone();
                }
            });
            q.join();
            assertEquals(List.of(0, 1, 2), processed);
            worker.cancel();
            assertThrows(CancelledError.class, () -> await(worker));
        });
    }

    @Test
    void getAloneDoesNotReleaseJoin() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            Task<Void> joiner = createTask(q::join);
            assertEquals("a", q.get());
            sleep(Duration.ofMillis(10));
            assertFalse(joiner.isDone(), "taken but not marked done");
            q.taskDone();
            await(joiner);
        });
    }

    @Test
    void joinReturnsAtOnceWhenNothingIsUnfinished() {
        AsyncTesting.runVirtual(() -> {
            Steps steps = new Steps();
            Queue<String> q = new Queue<>();
            steps.expect(1);
            Task<Void> other = createTask(() -> steps.expect(3));
            q.join();
            steps.expect(2);
            await(other);
            steps.finish(3);
        });
    }

    @Test
    void taskDoneCalledTooManyTimesThrows() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            assertThrows(IllegalStateException.class, q::taskDone);
            q.putNowait("a");
            q.getNowait();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @Test
    void cancelledJoinLeavesTheCountUnchanged() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            Task<Void> joiner = createTask(q::join);
            sleep(Duration.ofMillis(5));
            joiner.cancel();
            assertThrows(CancelledError.class, () -> await(joiner));
            q.getNowait();
            q.taskDone();
            q.join();
        });
    }

    // ------------------------------------------------------------------ shutdown (asyncio 3.13)

    @Test
    void shutdownMakesPutsFail() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.shutdown();
            assertTrue(q.isShutdown());
            assertThrows(QueueShutDown.class, () -> q.putNowait("a"));
            assertThrows(QueueShutDown.class, () -> q.put("a"));
        });
    }

    @Test
    void shutdownWakesBlockedPuttersWithQueueShutDown() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("a");
            Task<Void> putter = createTask(() -> q.put("b"));
            sleep(Duration.ofMillis(5));
            q.shutdown();
            assertThrows(QueueShutDown.class, () -> await(putter));
            assertEquals(1, q.qsize());
        });
    }

    @Test
    void getsDrainTheRemainingItemsThenFail() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            q.putNowait("b");
            q.shutdown();
            assertEquals("a", q.get());
            assertEquals("b", q.getNowait());
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
        });
    }

    @Test
    void shutdownWakesBlockedGettersWhichThrow() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> g1 = createTask(q::get);
            Task<String> g2 = createTask(q::get);
            sleep(Duration.ofMillis(5));
            q.shutdown();
            assertThrows(QueueShutDown.class, () -> await(g1));
            assertThrows(QueueShutDown.class, () -> await(g2));
        });
    }

    @Test
    void shutdownWithoutImmediateDoesNotReleaseJoin() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            Task<Void> joiner = createTask(q::join);
            sleep(Duration.ofMillis(5));
            q.shutdown();
            sleep(Duration.ofMillis(5));
            assertFalse(joiner.isDone());
            q.getNowait();
            q.taskDone();
            await(joiner);
        });
    }

    @Test
    void immediateShutdownDropsTheItemsReleasesJoinAndFailsGets() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            q.putNowait("b");
            Task<Void> joiner = createTask(q::join);
            sleep(Duration.ofMillis(5));
            q.shutdown(true);
            assertTrue(q.isEmpty());
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
            await(joiner);
            assertThrows(IllegalStateException.class, q::taskDone, "every dropped item counted as done");
        });
    }

    @Test
    void immediateShutdownKeepsItemsAlreadyTakenUnfinished() {
        AsyncTesting.runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("taken");
            q.putNowait("dropped");
            assertEquals("taken", q.getNowait());
            Task<Void> joiner = createTask(q::join);
            sleep(Duration.ofMillis(5));
            q.shutdown(true);
            sleep(Duration.ofMillis(5));
            assertFalse(joiner.isDone(), "the taken item is not done yet");
            q.taskDone();
            await(joiner);
        });
    }

    // ------------------------------------------------------------------ loops

    @Test
    void queueIsBoundToTheLoopOfItsFirstBlockingUse() {
        Queue<String> q = new Queue<>();
        try (Runner first = Runner.create()) {
            first.run(() -> {
                getRunningLoop().callLater(Duration.ofMillis(5), () -> q.putNowait("a"));
                assertEquals("a", q.get());
            });
        }
        try (Runner second = Runner.create()) {
            second.run(() -> {
                q.putNowait("b"); // non-blocking calls are not checked
                assertEquals("b", q.getNowait());
                assertThrows(IllegalStateException.class, q::get);
            });
        }
    }
}
