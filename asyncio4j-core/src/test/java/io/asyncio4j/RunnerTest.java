package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/** Conformance of {@link Asyncio#run} and {@link Runner}: lifecycle, shutdown, Ctrl-C (asyncio rules S, A13). */
@Timeout(30)
class RunnerTest {

    // ------------------------------------------------------------------ S2, S3 Asyncio.run

    @Test
    void runReturnsTheResultOfTheMainCoroutine() {
        assertEquals("result", Asyncio.run(() -> {
            sleep(Duration.ofMillis(1));
            return "result";
        }));
    }

    @Test
    void runRethrowsTheVeryExceptionOfTheMainCoroutineAfterCleanup() {
        IOException boom = new IOException("main failed");
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Callable<Object> main = () -> {
            createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } finally {
                    events.add("leftover cleaned up");
                }
            });
            sleep(Duration.ofMillis(1));
            throw boom;
        };
        IOException thrown = assertThrows(IOException.class, () -> Asyncio.run(main));
        assertSame(boom, thrown);
        assertEquals(List.of("leftover cleaned up"), events);
    }

    @Test
    void runRethrowsTheCancellationOfTheMainTask() {
        CancelledError e = assertThrows(CancelledError.class, () -> Asyncio.run(() -> {
            Asyncio.currentTask().cancel("main cancelled itself");
            sleep(Duration.ZERO);
        }));
        assertEquals("main cancelled itself", e.getMessage());
    }

    @Test
    void runRejectsANullCoroutine() {
        assertThrows(NullPointerException.class, () -> Asyncio.run((Callable<Object>) null));
        assertThrows(NullPointerException.class, () -> Asyncio.run((ThrowingRunnable) null));
    }

    @Test
    void eachRunUsesAFreshLoopThatIsClosedAfterwards() {
        EventLoop first = Asyncio.run(Asyncio::getRunningLoop);
        EventLoop second = Asyncio.run(Asyncio::getRunningLoop);
        assertNotSame(first, second);
        assertTrue(first.isClosed());
        assertTrue(second.isClosed());
    }

    @Test
    void runInsideARunningLoopThrows() {
        AsyncTesting.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> 1));
            assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
            try (Runner r = Runner.create()) {
                assertThrows(IllegalStateException.class, () -> r.run(() -> 1));
            }
        });
    }

    @Test
    void runFromAVirtualThreadWorks() throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                outcome.set(Asyncio.run(() -> {
                    sleep(Duration.ofMillis(1));
                    return "from a virtual thread";
                }));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }).join();
        assertEquals("from a virtual thread", outcome.get());
    }

    @Test
    void runInDebugModeTurnsTheLoopsDebugModeOn() {
        assertTrue(Asyncio.run(() -> getRunningLoop().getDebug(), true));
        assertFalse(Asyncio.run(() -> getRunningLoop().getDebug(), false));
    }

    // ------------------------------------------------------------------ S1 shutdown

    @Test
    void runCancelsLeftoverTasksAtOnceAndAwaitsThemTogether() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            for (String name : List.of("a", "b")) {
                createTask(() -> {
                    try {
                        sleep(Duration.ofMillis(10_000));
                    } catch (CancelledError e) {
                        events.add(name + " cancelled");
                        sleep(Duration.ofMillis(20));
                        events.add(name + " cleaned");
                        throw e;
                    }
                });
            }
            sleep(Duration.ofMillis(5));
        });
        assertEquals(4, events.size(), events.toString());
        assertEquals(Set.of("a cancelled", "b cancelled"), Set.copyOf(events.subList(0, 2)),
                "every leftover is cancelled before any finishes its cleanup: " + events);
        assertEquals(Set.of("a cleaned", "b cleaned"), Set.copyOf(events.subList(2, 4)));
    }

    @Test
    void leftoverTaskFailingDuringShutdownIsReportedOnce() {
        IllegalStateException boom = new IllegalStateException("cleanup failed");
        List<Task<?>> leftover = new ArrayList<>();
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        Runner runner = Runner.create();
        runner.getLoop().setExceptionHandler((loop, c) -> reports.add(c));
        runner.run(() -> {
            leftover.add(createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    throw boom;
                }
            }));
            sleep(Duration.ofMillis(5));
        });
        runner.close();
        assertEquals(1, reports.size(), reports.toString());
        ExceptionContext c = reports.get(0);
        assertEquals("unhandled exception during asyncio.run() shutdown", c.message());
        assertSame(boom, c.exception());
        assertSame(leftover.get(0), c.future());
    }

    @Test
    void runWaitsForTheDefaultExecutorsRunningCallsBeforeReturning() {
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        Asyncio.run(() -> {
            getRunningLoop().runInExecutor(() -> {
                worker.set(Thread.currentThread());
                Thread.sleep(100);
                finished.set(true);
                return null;
            });
            sleep(Duration.ofMillis(10));
        });
        assertTrue(finished.get(), "run() returned before the executor call finished");
    }

    @Test
    void runClosesTheDefaultExecutor() throws InterruptedException {
        AtomicReference<Thread> worker = new AtomicReference<>();
        EventLoop loop = Asyncio.run(() -> {
            Asyncio.toThread(() -> {
                worker.set(Thread.currentThread());
                return null;
            });
            return getRunningLoop();
        });
        worker.get().join(2_000);
        assertFalse(worker.get().isAlive(), "the executor's thread outlived run()");
        assertTrue(loop.isClosed());
    }

    // ------------------------------------------------------------------ S5 Runner

    @Test
    void runnerRunsSeveralCoroutinesOnOneLoop() {
        try (Runner runner = Runner.create()) {
            EventLoop loop = runner.getLoop();
            assertFalse(loop.isRunning());
            assertSame(loop, runner.run(Asyncio::getRunningLoop));
            assertSame(loop, runner.run(Asyncio::getRunningLoop));
            assertSame(loop, runner.getLoop());
            assertFalse(loop.isClosed());
        }
    }

    @Test
    void tasksLeftByOneRunKeepRunningInTheNext() {
        try (Runner runner = Runner.create()) {
            AtomicReference<Future<String>> gate = new AtomicReference<>();
            AtomicReference<Task<String>> leftover = new AtomicReference<>();
            runner.run(() -> {
                gate.set(createFuture());
                leftover.set(createTask(() -> await(gate.get()) + " and finished"));
                sleep(Duration.ZERO);
            });
            assertFalse(leftover.get().isDone());
            String r = runner.run(() -> {
                gate.get().setResult("resumed");
                return await(leftover.get());
            });
            assertEquals("resumed and finished", r);
        }
    }

    @Test
    void runnerRethrowsTheExceptionOfARunAndStaysUsable() {
        try (Runner runner = Runner.create()) {
            IllegalArgumentException boom = new IllegalArgumentException();
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> runner.run(() -> {
                throw boom;
            })));
            assertEquals(2, runner.run(() -> 2));
        }
    }

    @Test
    void closeCancelsLeftoverTasksAndClosesTheLoop() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Runner runner = Runner.create();
        runner.run(() -> {
            createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } finally {
                    events.add("leftover finally");
                }
            });
            sleep(Duration.ZERO);
        });
        EventLoop loop = runner.getLoop();
        assertEquals(List.of(), events);
        runner.close();
        assertEquals(List.of("leftover finally"), events);
        assertTrue(loop.isClosed());
    }

    @Test
    void runAfterCloseThrowsRunnerIsClosedAndCloseIsIdempotent() {
        Runner runner = Runner.create();
        runner.run(() -> 1);
        runner.close();
        runner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> 1));
        assertEquals("Runner is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> runner.run(() -> { }));
        assertThrows(IllegalStateException.class, runner::getLoop);
    }

    @Test
    void closingARunnerFromInsideItsRunFailsWithoutHalfClosingIt() {
        Runner runner = Runner.create();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        runner.run(() -> {
            createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } finally {
                    events.add("leftover finally");
                }
            });
            assertThrows(IllegalStateException.class, runner::close);
        });
        EventLoop loop = runner.getLoop();
        runner.close();
        assertTrue(loop.isClosed(), "the later close() did not close the loop");
        assertEquals(List.of("leftover finally"), events);
    }

    @Test
    void runnerThatNeverRanClosesQuietly() {
        Runner runner = Runner.create();
        runner.close();
        assertThrows(IllegalStateException.class, () -> runner.run(() -> 1));
    }

    @Test
    void runnerInDebugModeHasADebugLoop() {
        try (Runner debug = Runner.create(true); Runner plain = Runner.create()) {
            assertTrue(debug.getLoop().getDebug());
            assertTrue(debug.run(() -> getRunningLoop().getDebug()));
            assertFalse(plain.getLoop().getDebug());
        }
    }

    // ------------------------------------------------------------------ S4 Ctrl-C, in a child JVM

    @Test
    void sigintCancelsTheMainTaskRunsItsCleanupAndExitsWithStatus130() throws Exception {
        try (ChildJvm child = ChildJvm.start("sigint-cleanup")) {
            assertTrue(child.awaitLine("started", 20_000), "child did not start: " + child.output());
            child.interrupt();
            int status = child.exitCode(20_000);
            assertTrue(child.output().contains("cleanup"), child.output().toString());
            assertFalse(child.output().contains("slept"), child.output().toString());
            assertEquals(130, status, child.output().toString());
        }
    }

    @Test
    void sigintHandledByTheMainTaskLetsRunReturnNormally() throws Exception {
        try (ChildJvm child = ChildJvm.start("sigint-catch")) {
            assertTrue(child.awaitLine("started", 20_000), "child did not start: " + child.output());
            child.interrupt();
            int status = child.exitCode(20_000);
            assertEquals(List.of("started", "caught", "returned"), child.output());
            assertEquals(0, status);
        }
    }

    @Test
    void secondSigintEndsTheProgramAtOnceWithStatus130() throws Exception {
        try (ChildJvm child = ChildJvm.start("sigint-twice")) {
            assertTrue(child.awaitLine("started", 20_000), "child did not start: " + child.output());
            child.interrupt();
            assertTrue(child.awaitLine("caught", 20_000), "first Ctrl-C not delivered: " + child.output());
            child.interrupt();
            int status = child.exitCode(20_000);
            assertFalse(child.output().contains("slept again"), child.output().toString());
            assertEquals(130, status, child.output().toString());
        }
    }
}
