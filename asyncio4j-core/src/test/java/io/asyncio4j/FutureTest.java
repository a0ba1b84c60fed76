package io.asyncio4j;

import static io.asyncio4j.Asyncio.asCompleted;
import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.newEventLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static io.asyncio4j.Asyncio.waitFutures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/** Conformance of {@link Future}: states, done callbacks, retrieval, the j.u.c contract (asyncio rules B). */
@Timeout(10)
class FutureTest {

    // ------------------------------------------------------------------ B1-B3 states

    @Test
    void pendingFutureResultAndExceptionThrowInvalidStateError() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertFalse(f.isDone());
            assertFalse(f.isCancelled());
            InvalidStateError r = assertThrows(InvalidStateError.class, f::result);
            assertEquals("Result is not set.", r.getMessage());
            InvalidStateError e = assertThrows(InvalidStateError.class, f::exception);
            assertEquals("Exception is not set.", e.getMessage());
        });
    }

    @Test
    void invalidStateErrorIsAnIllegalStateException() {
        assertInstanceOf(IllegalStateException.class, new InvalidStateError("x"));
    }

    @Test
    void futureWithAResultReturnsItAndHasNoException() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            f.setResult("value");
            assertTrue(f.isDone());
            assertFalse(f.isCancelled());
            assertEquals("value", f.result());
            assertNull(f.exception());
        });
    }

    @Test
    void futureWithAnExceptionRethrowsTheSameObjectFromResult() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            IOException boom = new IOException("boom");
            f.setException(boom);
            assertTrue(f.isDone());
            assertFalse(f.isCancelled());
            assertSame(boom, f.exception());
            Throwable thrown = assertThrows(IOException.class, f::result);
            assertSame(boom, thrown);
        });
    }

    @Test
    void cancelledFutureResultAndExceptionThrowCancelledError() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertTrue(f.cancel());
            assertTrue(f.isDone());
            assertTrue(f.isCancelled());
            assertThrows(CancelledError.class, f::result);
            assertThrows(CancelledError.class, f::exception);
        });
    }

    @Test
    void completingADoneFutureThrowsInvalidStateError() {
        AsyncTesting.run(() -> {
            Future<String> done = createFuture();
            done.setResult("first");
            assertThrows(InvalidStateError.class, () -> done.setResult("second"));
            assertThrows(InvalidStateError.class, () -> done.setException(new RuntimeException()));
            assertEquals("first", done.result());

            Future<String> cancelled = createFuture();
            cancelled.cancel();
            assertThrows(InvalidStateError.class, () -> cancelled.setResult("late"));
            assertThrows(InvalidStateError.class, () -> cancelled.setException(new RuntimeException()));
            assertTrue(cancelled.isCancelled());
        });
    }

    @Test
    void cancelOfAPendingFutureCancelsItImmediately() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertTrue(f.cancel("no longer needed"));
            assertTrue(f.isCancelled());
            CancelledError e = assertThrows(CancelledError.class, f::result);
            assertEquals("no longer needed", e.getMessage());
        });
    }

    @Test
    void cancelOfADoneFutureReturnsFalseAndChangesNothing() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            f.setResult("kept");
            assertFalse(f.cancel());
            assertFalse(f.cancel("again"));
            assertFalse(f.isCancelled());
            assertEquals("kept", f.result());
        });
    }

    @Test
    void cancelledErrorStoredWithSetExceptionIsAnOrdinaryException() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            CancelledError stored = new CancelledError("stored");
            f.setException(stored);
            assertFalse(f.isCancelled());
            assertSame(stored, f.exception());
        });
    }

    @Test
    void setExceptionRejectsNull() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertThrows(NullPointerException.class, () -> f.setException(null));
            assertFalse(f.isDone());
        });
    }

    // ------------------------------------------------------------------ B5, B6 done callbacks

    @Test
    void doneCallbacksAreNeverCalledSynchronously() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<String> calls = new ArrayList<>();
            f.addDoneCallback(x -> calls.add("cb"));
            f.setResult("v");
            assertEquals(List.of(), calls, "a done callback ran inside setResult");
            sleep(Duration.ZERO);
            assertEquals(List.of("cb"), calls);
        });
    }

    @Test
    void doneCallbacksRunInRegistrationOrderAndReceiveTheFuture() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<String> calls = new ArrayList<>();
            List<Future<String>> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                f.addDoneCallback(x -> {
                    calls.add("cb" + n);
                    received.add(x);
                });
            }
            f.setResult("v");
            sleep(Duration.ZERO);
            assertEquals(List.of("cb0", "cb1", "cb2", "cb3", "cb4"), calls);
            for (Future<String> r : received) {
                assertSame(f, r);
            }
        });
    }

    @Test
    void doneCallbacksRunOnCancellationToo() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<Boolean> seen = new ArrayList<>();
            f.addDoneCallback(x -> seen.add(x.isCancelled()));
            f.cancel();
            sleep(Duration.ZERO);
            assertEquals(List.of(true), seen);
        });
    }

    @Test
    void callbackAddedToADoneFutureIsScheduledNotCalled() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            f.setResult("v");
            sleep(Duration.ZERO);
            List<String> calls = new ArrayList<>();
            f.addDoneCallback(x -> calls.add("late"));
            assertEquals(List.of(), calls);
            sleep(Duration.ZERO);
            assertEquals(List.of("late"), calls);
        });
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndReturnsTheCount() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<String> calls = new ArrayList<>();
            Consumer<Future<String>> twice = x -> calls.add("twice");
            Consumer<Future<String>> kept = x -> calls.add("kept");
            f.addDoneCallback(twice);
            f.addDoneCallback(kept);
            f.addDoneCallback(twice);
            assertEquals(2, f.removeDoneCallback(twice));
            assertEquals(0, f.removeDoneCallback(twice));
            f.setResult("v");
            sleep(Duration.ZERO);
            assertEquals(List.of("kept"), calls);
        });
    }

    @Test
    void doneCallbacksAreScheduledAtCompletionAmongOtherCallbacks() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> f = createFuture();
            List<String> order = new ArrayList<>();
            f.addDoneCallback(x -> order.add("done-1"));
            f.addDoneCallback(x -> order.add("done-2"));
            loop.callSoon(() -> order.add("before"));
            f.setResult("v");
            loop.callSoon(() -> order.add("after"));
            sleep(Duration.ZERO);
            assertEquals(List.of("before", "done-1", "done-2", "after"), order);
        });
    }

    @Test
    void removingADoneCallbackAlreadyScheduledDoesNotUnscheduleIt() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<String> calls = new ArrayList<>();
            Consumer<Future<String>> cb = x -> calls.add("cb");
            f.addDoneCallback(cb);
            f.setResult("v");
            assertEquals(0, f.removeDoneCallback(cb));
            sleep(Duration.ZERO);
            assertEquals(List.of("cb"), calls);
        });
    }

    @Test
    void addDoneCallbackRejectsNull() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertThrows(NullPointerException.class, () -> f.addDoneCallback(null));
        });
    }

    // ------------------------------------------------------------------ B7 awaiting

    @Test
    void awaitingADoneFutureDoesNotSuspend() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            f.setResult("ready");
            List<String> ran = new ArrayList<>();
            getRunningLoop().callSoon(() -> ran.add("callback"));
            assertEquals("ready", await(f));
            assertEquals(List.of(), ran, "await of a done future let the loop run");
            sleep(Duration.ZERO);
            assertEquals(List.of("callback"), ran);
        });
    }

    @Test
    void awaitingAPendingFutureSuspendsUntilItIsDone() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            List<String> order = new ArrayList<>();
            getRunningLoop().callLater(java.time.Duration.ofMillis(20), () -> {
                order.add("set");
                f.setResult("late");
            });
            assertEquals("late", await(f));
            order.add("resumed");
            assertEquals(List.of("set", "resumed"), order);
        });
    }

    @Test
    void manyTasksAwaitingOneFutureAllSeeTheSameOutcome() {
        AsyncTesting.run(() -> {
            Future<Object> f = createFuture();
            RuntimeException boom = new RuntimeException("boom");
            List<Task<Throwable>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(createTask(() -> {
                    try {
                        await(f);
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            sleep(Duration.ZERO);
            f.setException(boom);
            for (Throwable seen : await(gather(waiters))) {
                assertSame(boom, seen);
            }
        });
    }

    @Test
    void awaitingAFutureOfAnotherLoopThrowsIllegalArgumentExceptionNamingTheFix() {
        AsyncTesting.run(() -> {
            EventLoop other = newEventLoop();
            try {
                Future<String> foreign = other.createFuture();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> await(foreign));
                assertTrue(e.getMessage().contains("different loop"), e.getMessage());
                assertTrue(e.getMessage().contains("wrapFuture"), e.getMessage());
                // one rule for every API that takes another loop's future
                assertThrows(IllegalArgumentException.class, () -> gather(foreign, createFuture()));
                assertThrows(IllegalArgumentException.class, () -> waitFutures(List.of(foreign)));
                assertThrows(IllegalArgumentException.class, () -> asCompleted(List.of(foreign, createFuture())));
            } finally {
                other.close();
            }
        });
    }

    // ------------------------------------------------------------------ B8 unretrieved exceptions

    @Test
    void unretrievedFutureExceptionIsReportedWhenTheLoopCloses() {
        RuntimeException boom = new RuntimeException("boom");
        List<Future<?>> keep = new ArrayList<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            Future<String> f = createFuture();
            keep.add(f);
            f.setException(boom);
        });
        assertEquals(1, reports.all().size(), reports.messages().toString());
        ExceptionContext c = reports.all().get(0);
        assertTrue(c.message().startsWith("Future exception was never retrieved"), c.message());
        assertSame(boom, c.exception());
        assertSame(keep.get(0), c.future());
    }

    @Test
    void retrievingTheExceptionInAnyWayPreventsTheReport() {
        // AsyncTesting.run fails on any loop report
        AsyncTesting.run(() -> {
            List<Future<String>> failed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Future<String> f = createFuture();
                f.setException(new IllegalStateException("boom " + i));
                failed.add(f);
            }
            assertThrows(IllegalStateException.class, failed.get(0)::result);
            assertTrue(failed.get(1).exception() instanceof IllegalStateException);
            assertThrows(IllegalStateException.class, () -> await(failed.get(2)));
            assertThrows(ExecutionException.class, failed.get(3)::get);
            assertThrows(ExecutionException.class, () -> failed.get(4).get(1, TimeUnit.SECONDS));
        });
    }

    @Test
    void exceptionRetrievedByAnAwaitingTaskIsNotReported() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Task<String> waiter = createTask(() -> {
                try {
                    return await(f);
                } catch (IllegalArgumentException e) {
                    return "caught";
                }
            });
            sleep(Duration.ZERO);
            f.setException(new IllegalArgumentException());
            assertEquals("caught", await(waiter));
        });
    }

    // ------------------------------------------------------------------ java.util.concurrent.Future

    @Test
    void getFromAnotherThreadBlocksUntilTheFutureIsDone() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Task<String> blocked = createTask(() -> toThread(f::get));
            sleep(Duration.ofMillis(30));
            assertFalse(blocked.isDone());
            f.setResult("delivered");
            assertEquals("delivered", await(blocked));
        });
    }

    @Test
    void getFromAnotherThreadWrapsTheExceptionAndReportsCancellation() {
        AsyncTesting.run(() -> {
            Future<String> failed = createFuture();
            IOException boom = new IOException("boom");
            failed.setException(boom);
            ExecutionException e = await(createTask(() -> toThread(() -> {
                try {
                    failed.get();
                    return null;
                } catch (ExecutionException x) {
                    return x;
                }
            })));
            assertSame(boom, e.getCause());

            Future<String> cancelled = createFuture();
            cancelled.cancel("gone");
            Throwable c = toThread(() -> {
                try {
                    cancelled.get();
                    return null;
                } catch (CancellationException x) {
                    return x;
                }
            });
            assertInstanceOf(CancellationException.class, c);
        });
    }

    @Test
    void getWithATimeoutFromAnotherThreadThrowsTimeoutExceptionWhilePending() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Throwable e = toThread(() -> {
                try {
                    f.get(30, TimeUnit.MILLISECONDS);
                    return null;
                } catch (java.util.concurrent.TimeoutException x) {
                    return x;
                }
            });
            assertInstanceOf(java.util.concurrent.TimeoutException.class, e);
            assertFalse(f.isDone());
        });
    }

    @Test
    void getInsideATaskOfTheLoopSuspendsInsteadOfBlocking() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Task<String> setter = createTask(() -> {
                sleep(Duration.ofMillis(10));
                f.setResult("from another task");
                return "set";
            });
            assertEquals("from another task", f.get()); // would deadlock if it blocked the loop
            assertEquals("set", await(setter));
        });
    }

    @Test
    void getInsideATaskReportsACancellationWhileWaitingAsCancellationException() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Task<Throwable> waiter = createTask(() -> thrownByGet(f, -1));
            sleep(Duration.ZERO);
            f.cancel();
            Throwable thrown = await(waiter);
            assertInstanceOf(CancellationException.class, thrown, "get() threw " + thrown);
            assertFalse(waiter.isCancelled(), "the waiting task itself was not cancelled");
        });
    }

    @Test
    void timedGetInsideATaskReportsACancellationWhileWaitingAsCancellationException() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Task<Throwable> waiter = createTask(() -> thrownByGet(f, 5_000));
            sleep(Duration.ZERO);
            f.cancel();
            Throwable thrown = await(waiter);
            assertInstanceOf(CancellationException.class, thrown, "get(timeout) threw " + thrown);
            assertFalse(waiter.isCancelled(), "the waiting task itself was not cancelled");
        });
    }

    /** Calls get() (or get(timeout) when millis is not negative) and returns what it threw. */
    private static Throwable thrownByGet(Future<?> f, long millis) {
        try {
            if (millis < 0) {
                f.get();
            } else {
                f.get(millis, TimeUnit.MILLISECONDS);
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    @Test
    void getInsideATaskThrowsExecutionExceptionWhenTheFutureFailsWhileWaiting() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            IOException boom = new IOException();
            Task<Throwable> waiter = createTask(() -> {
                try {
                    f.get();
                    return null;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            });
            sleep(Duration.ZERO);
            f.setException(boom);
            assertSame(boom, await(waiter));
        });
    }

    @Test
    void getWithATimeoutInsideATaskThrowsTimeoutExceptionAndLeavesTheFuturePending() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            assertThrows(java.util.concurrent.TimeoutException.class, () -> f.get(20, TimeUnit.MILLISECONDS));
            assertFalse(f.isDone());
            f.setResult("later");
            assertEquals("later", f.get(1, TimeUnit.SECONDS));
        });
    }

    @Test
    void getOnTheLoopThreadOutsideATaskThrowsIllegalStateException() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> f = createFuture();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Future<Void> done = createFuture();
            loop.callSoon(() -> {
                try {
                    f.get();
                } catch (Throwable e) {
                    error.set(e);
                }
                done.setResult(null);
            });
            await(done);
            assertInstanceOf(IllegalStateException.class, error.get());
            assertFalse(f.isDone());
        });
    }

    @Test
    void cancelFromAnotherThreadIsPassedToTheLoop() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            Boolean accepted = toThread(() -> f.cancel(true));
            assertTrue(accepted);
            assertThrows(CancelledError.class, () -> await(f));
            assertTrue(f.isCancelled());
        });
    }

    @Test
    void toCompletableFutureCompletesWithTheOutcome() {
        AsyncTesting.run(() -> {
            Future<String> ok = createFuture();
            CompletableFuture<String> okView = ok.toCompletableFuture();
            ok.setResult("v");
            assertEquals("v", await(okView));

            Future<String> failed = createFuture();
            CompletableFuture<String> failedView = failed.toCompletableFuture();
            IOException boom = new IOException("boom");
            failed.setException(boom);
            sleep(Duration.ZERO);
            ExecutionException e = assertThrows(ExecutionException.class, failedView::get);
            assertSame(boom, e.getCause());

            Future<String> cancelled = createFuture();
            CompletableFuture<String> cancelledView = cancelled.toCompletableFuture();
            cancelled.cancel();
            sleep(Duration.ZERO);
            assertTrue(cancelledView.isCancelled());
        });
    }

    @Test
    void cancellingTheCompletableViewCancelsTheFuture() {
        AsyncTesting.run(() -> {
            Future<String> f = createFuture();
            CompletableFuture<String> view = f.toCompletableFuture();
            view.cancel(false);
            sleep(Duration.ZERO);
            assertTrue(f.isCancelled());
        });
    }

    @Test
    void outcomeOfReadsEachDoneState() {
        AsyncTesting.run(() -> {
            Future<String> ok = createFuture();
            ok.setResult("v");
            Future<String> failed = createFuture();
            IOException boom = new IOException();
            failed.setException(boom);
            Future<String> cancelled = createFuture();
            cancelled.cancel("why");
            assertEquals(new Outcome.Success<>("v"), Outcome.of(ok));
            assertEquals(new Outcome.Failure<String>(boom), Outcome.of(failed));
            Outcome<String> c = Outcome.of(cancelled);
            assertInstanceOf(Outcome.Cancelled.class, c);
            assertEquals("why", ((Outcome.Cancelled<String>) c).error().getMessage());
            assertThrows(InvalidStateError.class, () -> Outcome.of(createFuture()));
        });
    }

    @Test
    void futureBelongsToTheLoopThatCreatedIt() {
        AsyncTesting.run(() -> {
            assertSame(getRunningLoop(), createFuture().getLoop());
            assertSame(getRunningLoop(), getRunningLoop().createFuture().getLoop());
        });
    }
}
