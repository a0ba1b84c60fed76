package io.asyncio4j.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.TaskGroupException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LoopGroup: loops on their own threads, mains joined as a task group, submissions, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopGroupTest {

    @Test
    void callRunsOneMainPerLoopEachOnItsOwnLoopAndThread() {
        try (LoopGroup group = LoopGroup.open(3)) {
            assertEquals(3, group.size());
            List<String> seen = group.call(i -> {
                EventLoop running = Asyncio.getRunningLoop();
                assertSame(group.loop(i), running);
                assertEquals(i, group.indexOf(running));
                CompletableFuture<String> thread = new CompletableFuture<>();
                running.callSoon(() -> thread.complete(Thread.currentThread().getName()));
                return i + "@" + Asyncio.await(thread);
            });
            assertEquals(3, seen.size());
            Set<String> threads = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                assertTrue(seen.get(i).startsWith(i + "@asyncio4j-group"), seen.get(i));
                assertTrue(seen.get(i).endsWith("-loop" + i), seen.get(i));
                threads.add(seen.get(i));
            }
            assertEquals(3, threads.size(), "each loop on a platform thread of its own");
            assertEquals(group.loops(), List.of(group.loop(0), group.loop(1), group.loop(2)));
        }
    }

    @Test
    void theFirstFailureCancelsTheOtherMainsAndIsThrownOnceAllEnded() {
        try (LoopGroup group = LoopGroup.open(3)) {
            AtomicInteger cancelled = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("boom");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> group.run(i -> {
                if (i == 1) {
                    Asyncio.sleep(Duration.ofMillis(20));
                    throw boom;
                }
                try {
                    Asyncio.sleep(Duration.ofSeconds(30));
                } catch (CancelledError c) {
                    cancelled.incrementAndGet();
                    throw c;
                }
            }));
            assertEquals(List.of(boom), e.exceptions());
            assertEquals(2, cancelled.get(), "both other mains saw their cancellation before run() returned");
            // the group is still usable
            assertEquals(List.of(0, 1, 2), group.call(i -> i));
        }
    }

    @Test
    void aTaskOfAnotherLoopSuspendsWhileTheMainsRun() {
        try (LoopGroup group = LoopGroup.open(2)) {
            AtomicInteger ticks = new AtomicInteger();
            List<Integer> out = Asyncio.run(() -> {
                var ticker = Asyncio.createTask(() -> {
                    while (true) {
                        ticks.incrementAndGet();
                        Asyncio.sleep(Duration.ofMillis(5));
                    }
                });
                List<Integer> r = group.call(i -> {
                    Asyncio.sleep(Duration.ofMillis(100));
                    return i * 10;
                });
                ticker.cancel();
                return r;
            });
            assertEquals(List.of(0, 10), out);
            assertTrue(ticks.get() > 3, "the caller's loop kept running: " + ticks.get());
        }
    }

    @Test
    void cancellingTheWaitingTaskCancelsTheMainsAndWaitsForThem() {
        try (LoopGroup group = LoopGroup.open(2)) {
            AtomicInteger ended = new AtomicInteger();
            Asyncio.run(() -> {
                var waiter = Asyncio.createTask(() -> group.run(i -> {
                    try {
                        Asyncio.sleep(Duration.ofSeconds(30));
                    } finally {
                        ended.incrementAndGet();
                    }
                }));
                Asyncio.sleep(Duration.ofMillis(50));
                waiter.cancel();
                assertThrows(CancelledError.class, () -> Asyncio.await(waiter));
                assertEquals(2, ended.get(), "the mains ended before the cancellation went on");
                return null;
            });
        }
    }

    @Test
    void callThrowsCancelledErrorWhenAMainCancelsItself() {
        try (LoopGroup group = LoopGroup.open(2)) {
            assertThrows(CancelledError.class, () -> group.call(i -> {
                if (i == 0) {
                    throw new CancelledError("self");
                }
                return i;
            }));
        }
    }

    @Test
    void submitRunsOnTheChosenLoopAndNextTakesTheLoopsInTurn() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            for (int i = 0; i < 2; i++) {
                int index = i;
                EventLoop ran = group.submit(i, () -> Asyncio.getRunningLoop()).get(5, TimeUnit.SECONDS);
                assertSame(group.loop(index), ran);
            }
            EventLoop a = group.next();
            EventLoop b = group.next();
            assertNotSame(a, b);
            assertSame(a, group.next());
            List<EventLoop> where = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                where.add(group.submit(() -> Asyncio.getRunningLoop()).get(5, TimeUnit.SECONDS));
            }
            assertNotSame(where.get(0), where.get(1));
            assertSame(where.get(0), where.get(2));
            assertThrows(IndexOutOfBoundsException.class, () -> group.submit(2, () -> 1));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> group.submit(0, () -> {
                        throw new java.io.IOException("disk");
                    }).get(5, TimeUnit.SECONDS));
            assertInstanceOf(java.io.IOException.class, failed.getCause());
        }
    }

    @Test
    void waitingForTheGroupFromALoopsCallbackFailsClearly() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            CompletableFuture<Throwable> got = new CompletableFuture<>();
            group.loop(0).callSoonThreadsafe(() -> {
                try {
                    group.run(i -> { });
                    got.complete(null);
                } catch (Throwable e) {
                    got.complete(e);
                }
            });
            Throwable e = got.get(5, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("callback"), e.getMessage());
        }
    }

    @Test
    void closeCancelsWhatStillRunsAndEndsTheThreads() throws Exception {
        LoopGroup group = LoopGroup.open(2);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger finallyRan = new AtomicInteger();
        List<CompletableFuture<Thread>> loopThreads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Thread> t = new CompletableFuture<>();
            group.loop(i).callSoonThreadsafe(() -> t.complete(Thread.currentThread()));
            loopThreads.add(t);
            group.submit(i, () -> {
                started.countDown();
                try {
                    Asyncio.sleep(Duration.ofSeconds(30));
                } finally {
                    finallyRan.incrementAndGet();
                }
            });
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        group.close();
        assertEquals(2, finallyRan.get());
        assertTrue(group.isClosed());
        for (EventLoop l : group.loops()) {
            assertTrue(l.isClosed(), "closed with the group: " + l);
        }
        assertThrows(IllegalStateException.class, () -> group.submit(0, () -> 1));
        assertThrows(IllegalStateException.class, () -> group.run(i -> { }));
        group.close(); // idempotent
        for (CompletableFuture<Thread> t : loopThreads) {
            Thread thread = t.get(5, TimeUnit.SECONDS);
            assertTrue(thread.getName().startsWith("asyncio4j-group"), thread.getName());
            assertFalse(thread.isAlive(), "the loop's thread ended: " + thread);
        }
    }

    @Test
    void closeFromOneOfTheGroupsOwnLoopsIsRefused() throws Exception {
        try (LoopGroup group = LoopGroup.open(1)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> group.submit(0, () -> group.close()).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertFalse(group.isClosed());
        }
    }

    @Test
    void aGroupNeedsALoop() {
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.open(0));
        try (LoopGroup group = LoopGroup.open()) {
            assertEquals(Runtime.getRuntime().availableProcessors(), group.size());
        }
    }
}
