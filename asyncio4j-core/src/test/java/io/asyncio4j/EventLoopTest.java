package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.newEventLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conformance of {@link EventLoop}: scheduling order, timers, handles, lifecycle (asyncio rules A, W). */
@Timeout(10)
class EventLoopTest {

    /** Runs a body with a fresh, not yet running loop, and closes the loop afterwards. */
    private static void withLoop(Consumer<EventLoop> body) {
        EventLoop loop = newEventLoop();
        try {
            body.accept(loop);
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ A1-A5 ordering

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        withLoop(loop -> {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(IntStream.range(0, 20).boxed().toList(), order);
        });
    }

    @Test
    void callbacksScheduledDuringAnIterationRunAfterTheCallbacksAlreadyReady() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> {
                    order.add("a-child");
                    loop.stop();
                });
            });
            loop.callSoon(() -> order.add("b"));
            loop.callSoon(() -> order.add("c"));
            loop.runForever();
            assertEquals(List.of("a", "b", "c", "a-child"), order);
        });
    }

    @Test
    void oneIterationRunsOnlyTheCallbacksThatWereReadyWhenItBegan() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("a-child"));
            });
            loop.callSoon(() -> order.add("b"));
            loop.stop();
            loop.runForever();
            assertEquals(List.of("a", "b"), order);
        });
    }

    @Test
    void callLaterWithZeroDelayRunsAfterACallSoonScheduledAfterIt() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            loop.callLater(Duration.ZERO, () -> {
                order.add("timer");
                loop.stop();
            });
            loop.callSoon(() -> order.add("soon"));
            loop.runForever();
            assertEquals(List.of("soon", "timer"), order);
        });
    }

    @Test
    void callLaterWithNegativeDelayRunsAsSoonAsPossibleButAfterReadyCallbacks() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> order.add("soon-1"));
            loop.callLater(Duration.ofSeconds(-5), () -> {
                order.add("past-timer");
                loop.stop();
            });
            loop.callSoon(() -> order.add("soon-2"));
            long t0 = System.nanoTime();
            loop.runForever();
            assertEquals(List.of("soon-1", "soon-2", "past-timer"), order);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "a past deadline must not wait");
        });
    }

    @Test
    void timersFireInDeadlineOrder() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            long base = loop.time();
            loop.callAt(base + TimeUnit.MILLISECONDS.toNanos(60), () -> {
                order.add("60");
                loop.stop();
            });
            loop.callAt(base + TimeUnit.MILLISECONDS.toNanos(20), () -> order.add("20"));
            loop.callAt(base + TimeUnit.MILLISECONDS.toNanos(40), () -> order.add("40"));
            loop.callAt(base + TimeUnit.MILLISECONDS.toNanos(10), () -> order.add("10"));
            loop.runForever();
            assertEquals(List.of("10", "20", "40", "60"), order);
        });
    }

    @Test
    void callLaterDeadlinesFollowTheDelays() {
        withLoop(loop -> {
            List<String> order = new ArrayList<>();
            loop.callLater(Duration.ofMillis(300), () -> {
                order.add("300");
                loop.stop();
            });
            loop.callLater(Duration.ofMillis(10), () -> order.add("10"));
            loop.runForever();
            assertEquals(List.of("10", "300"), order);
        });
    }

    @Test
    void timersWithEqualDeadlinesRunInSchedulingOrder() {
        withLoop(loop -> {
            List<Integer> order = new ArrayList<>();
            long when = loop.time() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < 12; i++) {
                int n = i;
                loop.callAt(when, () -> order.add(n));
            }
            loop.callAt(when, loop::stop);
            loop.runForever();
            assertEquals(IntStream.range(0, 12).boxed().toList(), order);
        });
    }

    @Test
    void timerCallbackRunsNoEarlierThanItsDeadline() {
        withLoop(loop -> {
            AtomicReference<Long> ranAt = new AtomicReference<>();
            TimerHandle h = loop.callLater(Duration.ofMillis(30), () -> {
                ranAt.set(loop.time());
                loop.stop();
            });
            loop.runForever();
            assertNotNull(ranAt.get());
            assertTrue(ranAt.get() >= h.when(), "ran at " + ranAt.get() + ", due at " + h.when());
        });
    }

    // ------------------------------------------------------------------ A7, A8 handles

    @Test
    void cancelledHandleDoesNotRunAndCancelIsIdempotent() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            Handle h = loop.callSoon(() -> ran.add("cancelled one"));
            loop.callSoon(() -> ran.add("other"));
            assertFalse(h.isCancelled());
            h.cancel();
            h.cancel();
            assertTrue(h.isCancelled());
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("other"), ran);
        });
    }

    @Test
    void cancelledTimerHandleDoesNotRun() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            TimerHandle h = loop.callLater(Duration.ofMillis(10), () -> ran.add("timer"));
            loop.callLater(Duration.ofMillis(40), loop::stop);
            h.cancel();
            assertTrue(h.isCancelled());
            loop.runForever();
            assertEquals(List.of(), ran);
        });
    }

    @Test
    void dueTimerCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            TimerHandle timer = loop.callLater(Duration.ZERO, () -> ran.add("timer"));
            loop.callSoon(() -> {
                ran.add("canceller");
                timer.cancel();
            });
            loop.callLater(Duration.ofMillis(20), loop::stop);
            loop.runForever();
            assertEquals(List.of("canceller"), ran);
        });
    }

    @Test
    void cancellingAHandleAfterItRanIsANoOp() {
        withLoop(loop -> {
            AtomicInteger runs = new AtomicInteger();
            Handle h = loop.callSoon(runs::incrementAndGet);
            loop.callSoon(loop::stop);
            loop.runForever();
            h.cancel();
            loop.stop();
            loop.runForever();
            assertEquals(1, runs.get());
        });
    }

    @Test
    void timerHandleWhenIsTheAbsoluteDeadlineOnTheLoopClock() {
        withLoop(loop -> {
            long before = loop.time();
            TimerHandle later = loop.callLater(Duration.ofSeconds(1), () -> { });
            long after = loop.time();
            long oneSecond = TimeUnit.SECONDS.toNanos(1);
            assertTrue(later.when() >= before + oneSecond && later.when() <= after + oneSecond,
                    "when() = " + later.when() + " not in [" + (before + oneSecond) + ", " + (after + oneSecond) + "]");
            long at = loop.time() + 12_345_678L;
            assertEquals(at, loop.callAt(at, () -> { }).when());
        });
    }

    @Test
    void nullDelayOrCallbackIsRejected() {
        withLoop(loop -> {
            assertThrows(NullPointerException.class, () -> loop.callLater(null, () -> { }));
            assertThrows(NullPointerException.class, () -> loop.callLater(Duration.ZERO, null));
            assertThrows(NullPointerException.class, () -> loop.callAt(loop.time(), null));
            assertThrows(NullPointerException.class, () -> loop.callSoon(null));
            assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(null));
        });
    }

    // ------------------------------------------------------------------ A9 clock

    @Test
    void timeIsAMonotonicClockInNanoseconds() throws InterruptedException {
        EventLoop loop = newEventLoop();
        try {
            long t0 = loop.time();
            Thread.sleep(20);
            long t1 = loop.time();
            assertTrue(t1 - t0 >= TimeUnit.MILLISECONDS.toNanos(20), "20 ms measured as " + (t1 - t0) + " ns");
            assertTrue(t1 - t0 < TimeUnit.SECONDS.toNanos(5), "20 ms measured as " + (t1 - t0) + " ns");
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ A10 errors in callbacks

    @Test
    void exceptionInACallbackIsReportedAndTheLoopKeepsRunning() {
        withLoop(loop -> {
            List<ExceptionContext> reports = new ArrayList<>();
            List<String> ran = new ArrayList<>();
            loop.setExceptionHandler((l, c) -> reports.add(c));
            RuntimeException boom = new RuntimeException("boom");
            Handle h = loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> ran.add("after"));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of("after"), ran);
            assertEquals(1, reports.size());
            ExceptionContext c = reports.get(0);
            assertTrue(c.message().startsWith("Exception in callback"), c.message());
            assertSame(boom, c.exception());
            assertSame(h, c.handle());
        });
    }

    @Test
    void exceptionInATimerCallbackIsReportedWithItsHandle() {
        withLoop(loop -> {
            List<ExceptionContext> reports = new ArrayList<>();
            loop.setExceptionHandler((l, c) -> reports.add(c));
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            TimerHandle h = loop.callLater(Duration.ofMillis(5), () -> {
                throw boom;
            });
            loop.callLater(Duration.ofMillis(20), loop::stop);
            loop.runForever();
            assertEquals(1, reports.size());
            assertSame(boom, reports.get(0).exception());
            assertSame(h, reports.get(0).handle());
        });
    }

    // ------------------------------------------------------------------ A11 stop

    @Test
    void stopBeforeRunForeverRunsExactlyOneIteration() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("first");
                loop.callSoon(() -> ran.add("second"));
            });
            loop.stop();
            loop.runForever();
            assertEquals(List.of("first"), ran);
            assertFalse(loop.isRunning());
        });
    }

    @Test
    void callbacksLeftByTheLastIterationRunOnTheNextRunForever() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("first");
                loop.stop();
                loop.callSoon(() -> ran.add("second"));
            });
            loop.runForever();
            assertEquals(List.of("first"), ran);
            loop.stop();
            loop.runForever();
            assertEquals(List.of("first", "second"), ran);
        });
    }

    @Test
    void isRunningIsTrueOnlyWhileTheLoopRuns() {
        withLoop(loop -> {
            AtomicBoolean inside = new AtomicBoolean();
            assertFalse(loop.isRunning());
            loop.callSoon(() -> {
                inside.set(loop.isRunning());
                loop.stop();
            });
            loop.runForever();
            assertTrue(inside.get());
            assertFalse(loop.isRunning());
        });
    }

    // ------------------------------------------------------------------ A12 runUntilComplete

    @Test
    void runUntilCompleteReturnsTheResultOfATask() {
        withLoop(loop -> assertEquals(42, loop.runUntilComplete(loop.createTask(() -> 42))));
    }

    @Test
    void runUntilCompleteThrowsTheVeryExceptionOfTheTask() {
        withLoop(loop -> {
            IOException boom = new IOException("boom");
            Task<Object> t = loop.createTask(() -> {
                throw boom;
            });
            Throwable thrown = assertThrows(IOException.class, () -> loop.runUntilComplete(t));
            assertSame(boom, thrown);
        });
    }

    @Test
    void runUntilCompleteWaitsForAPlainFutureCompletedByATimer() {
        withLoop(loop -> {
            Future<String> f = loop.createFuture();
            loop.callLater(Duration.ofMillis(20), () -> f.setResult("done"));
            assertEquals("done", loop.runUntilComplete(f));
        });
    }

    @Test
    void runUntilCompleteFailsIfTheLoopStopsBeforeTheFutureIsDone() {
        withLoop(loop -> {
            Future<String> f = loop.createFuture();
            loop.callSoon(loop::stop);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
            assertEquals("Event loop stopped before Future completed.", e.getMessage());
            assertFalse(f.isDone());
        });
    }

    // ------------------------------------------------------------------ A13 re-entrancy

    @Test
    void runningALoopThatIsAlreadyRunningThrows() {
        withLoop(loop -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> {
                try {
                    loop.runForever();
                } catch (Throwable e) {
                    error.set(e);
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertEquals("This event loop is already running", error.get().getMessage());
        });
    }

    @Test
    void runUntilCompleteFromATaskOfTheSameLoopThrows() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<Integer> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
            assertEquals("This event loop is already running", e.getMessage());
        });
    }

    @Test
    void runningAnotherLoopWhileOneRunsOnTheThreadThrows() {
        withLoop(loop -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> {
                EventLoop other = newEventLoop();
                try {
                    other.runForever();
                } catch (Throwable e) {
                    error.set(e);
                } finally {
                    other.close();
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertEquals("Cannot run the event loop while another loop is running", error.get().getMessage());
        });
    }

    // ------------------------------------------------------------------ A14 close

    @Test
    void closedLoopRejectsSchedulingWithEventLoopIsClosed() {
        EventLoop loop = newEventLoop();
        loop.close();
        assertTrue(loop.isClosed());
        List<Runnable> calls = List.of(
                () -> loop.callSoon(() -> { }),
                () -> loop.callLater(Duration.ZERO, () -> { }),
                () -> loop.callAt(0, () -> { }),
                () -> loop.callSoonThreadsafe(() -> { }),
                () -> loop.createTask(() -> 1),
                () -> loop.createFuture(),
                loop::runForever);
        for (Runnable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertEquals("Event loop is closed", e.getMessage());
        }
    }

    @Test
    void closeIsIdempotent() {
        EventLoop loop = newEventLoop();
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
    }

    @Test
    void closeRunsItsHooksInOrderOnceSkippingCancelledOnesAndReportingFailures() {
        EventLoop loop = newEventLoop();
        List<String> ran = new ArrayList<>();
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        loop.onClose(() -> ran.add("first " + loop.isClosed()));
        Handle dropped = loop.onClose(() -> ran.add("cancelled"));
        loop.onClose(() -> {
            throw new IllegalStateException("boom");
        });
        loop.onClose(() -> ran.add("last"));
        dropped.cancel();
        assertTrue(dropped.isCancelled());
        loop.close();
        loop.close();
        assertEquals(List.of("first false", "last"), ran, "before the loop counts as closed, each once");
        assertEquals(1, reports.size());
        assertEquals("boom", reports.get(0).exception().getMessage());
        assertThrows(IllegalStateException.class, () -> loop.onClose(() -> ran.add("late")));
    }

    @Test
    void closingARunningLoopThrows() {
        withLoop(loop -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            loop.callSoon(() -> {
                try {
                    loop.close();
                } catch (Throwable e) {
                    error.set(e);
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertFalse(loop.isClosed());
        });
    }

    @Test
    void closeDropsCallbacksStillQueued() {
        EventLoop loop = newEventLoop();
        AtomicBoolean ran = new AtomicBoolean();
        loop.callSoon(() -> ran.set(true));
        loop.callLater(Duration.ZERO, () -> ran.set(true));
        loop.close();
        assertFalse(ran.get());
    }

    @Test
    void closeDoesNotWaitForTheDefaultExecutor() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        EventLoop loop = newEventLoop();
        try {
            loop.runInExecutor(() -> {
                started.countDown();
                return release.await(5, TimeUnit.SECONDS);
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            loop.close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "close() waited for the executor");
        } finally {
            release.countDown();
            loop.close();
        }
    }

    // ------------------------------------------------------------------ A15 threads

    @Test
    void callSoonThreadsafeWakesAnIdleLoop() {
        withLoop(loop -> {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            loop.callSoon(() -> {
                loopThread.set(Thread.currentThread());
                Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                    loop.callSoonThreadsafe(() -> {
                        ranOn.set(Thread.currentThread());
                        loop.stop();
                    });
                });
            });
            loop.runForever(); // blocks in the selector until the other thread wakes it
            assertSame(loopThread.get(), ranOn.get());
        });
    }

    @Test
    void callSoonThreadsafeOnTheLoopThreadKeepsFifoOrderWithCallSoon() {
        // asyncio: call_soon_threadsafe is call_soon plus a wake-up, so A, B, C run in order
        List<String> fromTask = Asyncio.run(() -> {
            EventLoop l = getRunningLoop();
            List<String> o = new ArrayList<>();
            l.callSoon(() -> o.add("A"));
            l.callSoonThreadsafe(() -> o.add("B"));
            l.callSoon(() -> o.add("C"));
            sleep(Duration.ZERO);
            return o;
        });
        assertEquals(List.of("A", "B", "C"), fromTask);
        withLoop(loop -> {
            List<String> o = new ArrayList<>();
            loop.callSoon(() -> {
                loop.callSoon(() -> o.add("A"));
                loop.callSoonThreadsafe(() -> o.add("B"));
                loop.callSoon(() -> {
                    o.add("C");
                    loop.stop();
                });
            });
            loop.runForever();
            assertEquals(List.of("A", "B", "C"), o, "from a plain callback too");
        });
    }

    @Test
    void callSoonThreadsafeFromAnotherThreadRunsInArrivalOrderAfterWhatIsReady() {
        withLoop(loop -> {
            List<String> o = new ArrayList<>();
            CountDownLatch sent = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().unstarted(() -> {
                loop.callSoonThreadsafe(() -> o.add("T1"));
                loop.callSoonThreadsafe(() -> o.add("T2"));
                sent.countDown();
            });
            loop.callSoon(() -> {
                other.start();
                try {
                    sent.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                loop.callSoon(() -> o.add("L")); // ready before the inbox is drained
                loop.callSoon(() -> loop.callSoon(loop::stop));
            });
            loop.runForever();
            assertEquals(List.of("L", "T1", "T2"), o);
        });
    }

    @Test
    void handleOfCallSoonThreadsafeCanBeCancelledBeforeItRuns() {
        withLoop(loop -> {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                Handle h = loop.callSoonThreadsafe(() -> ran.add("cancelled one"));
                h.cancel();
                assertTrue(h.isCancelled());
                loop.callSoonThreadsafe(() -> {
                    ran.add("other");
                    loop.stop();
                });
            });
            loop.runForever();
            assertEquals(List.of("other"), ran);
        });
    }

    @Test
    void callbacksFromOtherThreadsAllRunAndKeepEachThreadsOrder() throws InterruptedException {
        EventLoop loop = newEventLoop();
        int threads = 4;
        int perThread = 200;
        List<List<Integer>> seen = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            seen.add(new ArrayList<>());
        }
        AtomicInteger remaining = new AtomicInteger(threads * perThread);
        try {
            List<Thread> producers = new ArrayList<>();
            loop.callSoon(() -> {
                for (int i = 0; i < threads; i++) {
                    int id = i;
                    producers.add(Thread.ofPlatform().start(() -> {
                        for (int n = 0; n < perThread; n++) {
                            int v = n;
                            loop.callSoonThreadsafe(() -> {
                                seen.get(id).add(v);
                                if (remaining.decrementAndGet() == 0) {
                                    loop.stop();
                                }
                            });
                        }
                    }));
                }
            });
            loop.runForever();
            for (Thread p : producers) {
                p.join();
            }
        } finally {
            loop.close();
        }
        for (List<Integer> s : seen) {
            assertEquals(IntStream.range(0, perThread).boxed().toList(), s);
        }
    }

    // ------------------------------------------------------------------ W1, C2, C4: finding the loop

    @Test
    void getRunningLoopOutsideALoopThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
    }

    @Test
    void getRunningLoopInACallbackOrATaskReturnsThatLoop() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<EventLoop> fromCallback = loop.createFuture();
            loop.callSoon(() -> fromCallback.setResult(getRunningLoop()));
            assertSame(loop, await(fromCallback));
            assertSame(loop, await(createTask(Asyncio::getRunningLoop)));
        });
    }

    @Test
    void createTaskOutsideARunningLoopThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> createTask(() -> 1));
        assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
    }

    @Test
    void currentTaskIsNullInAPlainCallbackAndOutsideAnyLoop() {
        assertNull(currentTask());
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        AsyncTesting.run(() -> {
            Future<Boolean> f = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> f.setResult(currentTask() == null));
            seen.add(await(f));
        });
        assertEquals(List.of(true), seen);
    }
}
