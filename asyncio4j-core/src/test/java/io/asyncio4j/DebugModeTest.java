package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conformance of debug mode: slow-step warnings, thread checks, richer errors (asyncio rules U, A15). */
@Timeout(30)
class DebugModeTest {

    /** Holds the loop thread, without parking: a CPU-bound step. */
    private static void spinFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static String slowWarnings(LogCapture log) {
        return log.entries().toString();
    }

    // ------------------------------------------------------------------ U1 switching it on

    @Test
    void debugModeIsOffByDefaultAndOnWhenRequested() {
        assumeTrue(System.getProperty("asyncio4j.debug") == null, "debug mode forced by a system property");
        assertFalse(Asyncio.run(() -> getRunningLoop().getDebug()));
        assertTrue(Asyncio.run(() -> getRunningLoop().getDebug(), true));
        try (Runner r = Runner.create(true)) {
            assertTrue(r.getLoop().getDebug());
        }
        EventLoop loop = Asyncio.newEventLoop();
        try {
            assertFalse(loop.getDebug());
            loop.setDebug(true);
            assertTrue(loop.getDebug());
            loop.setDebug(false);
            assertFalse(loop.getDebug());
        } finally {
            loop.close();
        }
    }

    @Test
    void debugSystemPropertyTurnsDebugModeOnForNewLoops() throws Exception {
        try (ChildJvm child = ChildJvm.start("debug-property", "-Dasyncio4j.debug=true")) {
            assertEquals(0, child.exitCode(20_000), child.output().toString());
            assertEquals(List.of("debug=true"), child.output());
        }
    }

    @Test
    void slowCallbackDurationDefaultsTo100MillisAndIsConfigurable() {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            assertEquals(Duration.ofMillis(100), loop.getSlowCallbackDuration());
            loop.setSlowCallbackDuration(Duration.ofMillis(250));
            assertEquals(Duration.ofMillis(250), loop.getSlowCallbackDuration());
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ U2 slow steps

    @Test
    void slowFirstStepOfATaskIsLoggedWithTheTaskNameAndWhereItWasRunning() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> await(createTask("sluggish", () -> spinFor(300))), true);
            List<LogCapture.Entry> slow = log.find("WARNING", "Executing <Task sluggish");
            assertEquals(1, slow.size(), slowWarnings(log));
            String message = slow.get(0).message();
            assertTrue(message.matches("(?s).* took \\d+\\.\\d+ seconds.*"), message);
            assertTrue(message.contains("it was running at:"), message);
            assertTrue(message.contains("spinFor"), message);
        }
    }

    @Test
    void slowStepAfterASleepIsLoggedWithTheTaskName() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> await(createTask("sleepy", () -> {
                sleep(Duration.ofMillis(5));
                spinFor(300);
            })), true);
            List<LogCapture.Entry> slow = log.find("WARNING", "Executing <Task sleepy");
            assertEquals(1, slow.size(), slowWarnings(log));
            assertTrue(slow.get(0).message().contains("spinFor"), slow.get(0).message());
        }
    }

    @Test
    void slowStepAfterAwaitingAFutureIsLoggedWithTheTaskName() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> {
                Future<String> f = createFuture();
                getRunningLoop().callLater(Duration.ofMillis(5), () -> f.setResult("go"));
                await(createTask("awakened", () -> {
                    await(f);
                    spinFor(300);
                }));
            }, true);
            List<LogCapture.Entry> slow = log.find("WARNING", "Executing <Task awakened");
            assertEquals(1, slow.size(), slowWarnings(log));
            assertTrue(slow.get(0).message().contains("spinFor"), slow.get(0).message());
        }
    }

    @Test
    void slowPlainCallbackIsLogged() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> {
                Future<Void> done = createFuture();
                getRunningLoop().callSoon(() -> {
                    spinFor(300);
                    done.setResult(null);
                });
                await(done);
            }, true);
            List<LogCapture.Entry> slow = log.find("WARNING", "Executing <Handle");
            assertEquals(1, slow.size(), slowWarnings(log));
            assertTrue(slow.get(0).message().contains("spinFor"), slow.get(0).message());
        }
    }

    @Test
    void slowCallbackDurationSetsTheThreshold() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> {
                getRunningLoop().setSlowCallbackDuration(Duration.ofMillis(30));
                await(createTask("thirty", () -> spinFor(120)));
                getRunningLoop().setSlowCallbackDuration(Duration.ofSeconds(5));
                await(createTask("under-threshold", () -> spinFor(120)));
            }, true);
            assertEquals(1, log.find("WARNING", "Executing <Task thirty").size(), slowWarnings(log));
            assertEquals(0, log.find("WARNING", "under-threshold").size(), slowWarnings(log));
        }
    }

    @Test
    void enablingDebugModeOnARunningLoopStartsSlowStepDetection() {
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> {
                getRunningLoop().setDebug(true);
                await(createTask("late-debug", () -> spinFor(300)));
            });
            List<LogCapture.Entry> slow = log.find("WARNING", "spinFor");
            assertEquals(1, slow.size(), slowWarnings(log));
            assertTrue(slow.get(0).message().startsWith("Executing "), slow.get(0).message());
        }
    }

    @Test
    void slowStepsAreNotLoggedOutsideDebugMode() {
        assumeTrue(System.getProperty("asyncio4j.debug") == null, "debug mode forced by a system property");
        try (LogCapture log = new LogCapture()) {
            Asyncio.run(() -> await(createTask("unwatched", () -> spinFor(200))));
            assertEquals(List.of(), log.find("WARNING", "Executing"));
        }
    }

    // ------------------------------------------------------------------ U3 / A15 thread checks

    @Test
    void nonThreadSafeCallsFromAnotherThreadThrowInDebugMode() {
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            List<Supplier<Object>> calls = List.of(
                    () -> loop.callSoon(() -> { }),
                    () -> loop.callLater(Duration.ZERO, () -> { }),
                    () -> loop.callAt(loop.time(), () -> { }),
                    () -> loop.createTask(() -> 1),
                    loop::createFuture);
            for (Supplier<Object> call : calls) {
                Throwable e = toThread(() -> {
                    try {
                        call.get();
                        return null;
                    } catch (Throwable x) {
                        return x;
                    }
                });
                assertTrue(e instanceof IllegalStateException, String.valueOf(e));
                assertTrue(e.getMessage().startsWith("Non-thread-safe operation"), e.getMessage());
            }
            Future<String> viaThreadsafe = createFuture();
            toThread(() -> loop.callSoonThreadsafe(() -> viaThreadsafe.setResult("allowed")));
            assertEquals("allowed", await(viaThreadsafe));
        }, true);
    }

    // ------------------------------------------------------------------ U4 richer errors

    @Test
    void runtimeCancelledErrorsCarryAStackTraceOnlyInDebugMode() {
        assumeTrue(System.getProperty("asyncio4j.debug") == null, "debug mode forced by a system property");
        assertTrue(cancellationTraceLength(true) > 0);
        assertEquals(0, cancellationTraceLength(false));
    }

    private static int cancellationTraceLength(boolean debug) {
        return Asyncio.run(() -> {
            Task<Void> t = createTask(() -> sleep(Duration.ofMillis(10_000)));
            sleep(Duration.ZERO);
            t.cancel();
            try {
                await(t);
                return -1;
            } catch (CancelledError e) {
                return e.getStackTrace().length;
            }
        }, debug);
    }

    @Test
    void callbackErrorReportShowsWhereTheCallbackWasScheduledInDebugMode() {
        List<ExceptionContext> reports = new ArrayList<>();
        try (Runner runner = Runner.create(true)) {
            runner.getLoop().setExceptionHandler((l, c) -> reports.add(c));
            runner.run(() -> {
                // scheduled through a JDK frame: the library trims leading io.asyncio4j.* frames,
                // and this test class lives in that package
                List.of(1).forEach(i -> getRunningLoop().callSoon(() -> {
                    throw new IllegalStateException("scheduled here");
                }));
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
            });
        }
        assertEquals(1, reports.size());
        List<StackTraceElement> where = reports.get(0).sourceTraceback();
        assertTrue(where.stream().anyMatch(e -> e.getMethodName().startsWith("lambda$callbackErrorReportShows")),
                where.toString());
    }

    @Test
    void callbackErrorReportHasNoTracebackOutsideDebugMode() {
        assumeTrue(System.getProperty("asyncio4j.debug") == null, "debug mode forced by a system property");
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            getRunningLoop().callSoon(() -> {
                throw new IllegalStateException();
            });
            sleep(Duration.ZERO);
        });
        assertEquals(1, reports.all().size());
        assertEquals(List.of(), reports.all().get(0).sourceTraceback());
    }

    @Test
    void unretrievedTaskExceptionReportShowsWhereTheTaskWasCreatedInDebugMode() {
        List<ExceptionContext> reports = new ArrayList<>();
        try (Runner runner = Runner.create(true)) {
            runner.getLoop().setExceptionHandler((l, c) -> reports.add(c));
            runner.run(() -> {
                List.of(1).forEach(i -> createTask(() -> {
                    throw new IllegalStateException("never retrieved");
                }));
                sleep(Duration.ofMillis(5));
            });
        }
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).message().startsWith("Task exception was never retrieved"));
        List<StackTraceElement> where = reports.get(0).sourceTraceback();
        assertTrue(where.stream().anyMatch(e -> e.getMethodName().startsWith("lambda$unretrievedTaskException")),
                where.toString());
        assertNull(reports.get(0).handle());
    }
}
