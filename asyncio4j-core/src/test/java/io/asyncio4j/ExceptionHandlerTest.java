package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.newEventLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/** Conformance of {@link ExceptionHandler} and {@link ExceptionContext}: what is reported, how (asyncio rules T). */
@Timeout(10)
class ExceptionHandlerTest {

    // ------------------------------------------------------------------ T1 installing a handler

    @Test
    void customHandlerReceivesTheLoopAndTheContextAsGiven() {
        EventLoop loop = newEventLoop();
        try {
            List<EventLoop> loops = new ArrayList<>();
            List<ExceptionContext> contexts = new ArrayList<>();
            ExceptionHandler handler = (l, c) -> {
                loops.add(l);
                contexts.add(c);
            };
            assertNull(loop.getExceptionHandler());
            loop.setExceptionHandler(handler);
            assertSame(handler, loop.getExceptionHandler());
            ExceptionContext context = ExceptionContext.of("something happened", new RuntimeException());
            loop.callExceptionHandler(context);
            assertEquals(List.of(loop), loops);
            assertEquals(1, contexts.size());
            assertSame(context, contexts.get(0));
        } finally {
            loop.close();
        }
    }

    @Test
    void settingANullHandlerRestoresTheDefaultOne() {
        EventLoop loop = newEventLoop();
        try (LogCapture log = new LogCapture()) {
            List<ExceptionContext> custom = new ArrayList<>();
            loop.setExceptionHandler((l, c) -> custom.add(c));
            loop.setExceptionHandler(null);
            assertNull(loop.getExceptionHandler());
            RuntimeException e = new RuntimeException("to the default handler");
            loop.callExceptionHandler(ExceptionContext.of("restored default", e));
            assertEquals(List.of(), custom);
            List<LogCapture.Entry> logged = log.find("SEVERE", "restored default");
            assertEquals(1, logged.size(), log.entries().toString());
            assertSame(e, logged.get(0).thrown());
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ T2, T3 the default handler

    @Test
    void defaultHandlerLogsAtErrorWithTheExceptionAndTheFuture() {
        try (LogCapture log = new LogCapture()) {
            AsyncTesting.run(() -> {
                EventLoop loop = getRunningLoop();
                Future<String> f = createFuture();
                f.setResult("x");
                IllegalStateException e = new IllegalStateException("logged");
                loop.defaultExceptionHandler(new ExceptionContext("default handler test", e, f, null, List.of()));
                List<LogCapture.Entry> logged = log.find("SEVERE", "default handler test");
                assertEquals(1, logged.size(), log.entries().toString());
                assertSame(e, logged.get(0).thrown());
                assertTrue(logged.get(0).message().contains(f.toString()), logged.get(0).message());
            });
        }
    }

    @Test
    void handlerThatThrowsFallsBackToTheDefaultHandler() {
        EventLoop loop = newEventLoop();
        try (LogCapture log = new LogCapture()) {
            RuntimeException handlerFailure = new RuntimeException("handler failed");
            loop.setExceptionHandler((l, c) -> {
                throw handlerFailure;
            });
            RuntimeException original = new RuntimeException("original problem");
            loop.callExceptionHandler(ExceptionContext.of("original report", original));
            List<LogCapture.Entry> fallback = log.find("SEVERE", "Unhandled error in exception handler");
            assertEquals(1, fallback.size(), log.entries().toString());
            assertSame(handlerFailure, fallback.get(0).thrown());
            List<LogCapture.Entry> originalLogged = log.find("SEVERE", "original report");
            assertEquals(1, originalLogged.size(), log.entries().toString());
            assertSame(original, originalLogged.get(0).thrown());
        } finally {
            loop.close();
        }
    }

    @Test
    void unhandledCallbackErrorIsLoggedByDefault() {
        try (LogCapture log = new LogCapture()) {
            RuntimeException boom = new RuntimeException("callback failed");
            Asyncio.run(() -> {
                getRunningLoop().callSoon(() -> {
                    throw boom;
                });
                sleep(Duration.ZERO);
            });
            List<LogCapture.Entry> logged = log.find("SEVERE", "Exception in callback");
            assertEquals(1, logged.size(), log.entries().toString());
            assertSame(boom, logged.get(0).thrown());
        }
    }

    // ------------------------------------------------------------------ T4 reported events

    @Test
    void doneCallbackErrorIsReportedWithItsFuture() {
        List<Future<?>> keep = new ArrayList<>();
        IllegalArgumentException boom = new IllegalArgumentException("done callback failed");
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            Future<String> f = createFuture();
            keep.add(f);
            f.addDoneCallback(x -> {
                throw boom;
            });
            f.setResult("v");
            sleep(Duration.ZERO);
        });
        assertEquals(1, reports.all().size(), reports.messages().toString());
        ExceptionContext c = reports.all().get(0);
        assertTrue(c.message().startsWith("Exception in callback"), c.message());
        assertSame(boom, c.exception());
        assertSame(keep.get(0), c.future());
    }

    @Test
    void loopKeepsRunningTheOtherDoneCallbacksAfterOneFails() {
        List<String> ran = new ArrayList<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            Future<String> f = createFuture();
            f.addDoneCallback(x -> {
                throw new IllegalStateException();
            });
            f.addDoneCallback(x -> ran.add("second"));
            f.setResult("v");
            sleep(Duration.ZERO);
        });
        assertEquals(List.of("second"), ran);
        assertEquals(1, reports.all().size());
    }

    @Test
    void handlerRunsOnTheLoopThread() {
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            loop.setExceptionHandler((l, c) -> handlerThread.set(Thread.currentThread()));
            Future<Void> done = createFuture();
            loop.callSoon(() -> {
                loopThread.set(Thread.currentThread());
                throw new IllegalStateException();
            });
            loop.callSoon(() -> done.setResult(null));
            await(done);
        });
        assertSame(loopThread.get(), handlerThread.get());
    }

    @Test
    void failedTaskReportCarriesTheTask() {
        List<Task<?>> keep = new ArrayList<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            keep.add(createTask("doomed", () -> {
                throw new IllegalStateException("doomed");
            }));
            sleep(Duration.ofMillis(5));
        });
        ExceptionContext c = reports.all().get(0);
        assertSame(keep.get(0), c.task());
        assertTrue(c.task().getName().equals("doomed"));
        assertNull(c.handle());
    }

    // ------------------------------------------------------------------ ExceptionContext

    @Test
    void contextOfHasOnlyAMessageAndAnException() {
        RuntimeException e = new RuntimeException();
        ExceptionContext c = ExceptionContext.of("msg", e);
        assertEquals("msg", c.message());
        assertSame(e, c.exception());
        assertNull(c.future());
        assertNull(c.handle());
        assertNull(c.task());
        assertEquals(List.of(), c.sourceTraceback());
    }

    @Test
    void contextRequiresAMessageAndCopiesTheTraceback() {
        assertThrows(NullPointerException.class, () -> ExceptionContext.of(null, null));
        List<StackTraceElement> frames = new ArrayList<>(List.of(new Throwable().getStackTrace()));
        ExceptionContext c = new ExceptionContext("m", null, null, null, frames);
        frames.clear();
        assertTrue(!c.sourceTraceback().isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> c.sourceTraceback().clear());
        assertEquals(List.of(), new ExceptionContext("m", null, null, null, null).sourceTraceback());
    }

    @Test
    void contextTaskIsNullForAPlainFuture() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertNull(new ExceptionContext("m", null, f, null, List.of()).task());
        });
    }
}
