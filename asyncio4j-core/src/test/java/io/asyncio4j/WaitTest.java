package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** asyncio.wait: (done, pending), return_when and timeout (ASYNCIO-SEMANTICS F1-F4); always qualified, since Object.wait shadows a static import. */
class WaitTest {

    private static Task<String> after(long millis, String value) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            return value;
        });
    }

    private static Task<String> failAfter(long millis, RuntimeException error) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            throw error;
        });
    }

    /** A future completed by a timer: its completion order does not depend on how fast tasks start. */
    private static Future<String> later(long millis, String value) {
        Future<String> f = createFuture();
        Asyncio.getRunningLoop().callLater(Duration.ofMillis(millis), () -> f.setResult(value));
        return f;
    }

    private static Future<String> failLater(long millis, RuntimeException error) {
        Future<String> f = createFuture();
        Asyncio.getRunningLoop().callLater(Duration.ofMillis(millis), () -> f.setException(error));
        return f;
    }

    private static long nowMillis() {
        return Asyncio.getRunningLoop().time() / 1_000_000L;
    }

    @Test
    void emptyCollectionIsRejected() {
        AsyncTesting.runVirtual(() -> {
            assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFutures(List.<Future<String>>of()));
        });
    }

    @Test
    void missingReturnWhenIsRejected() {
        AsyncTesting.runVirtual(() -> {
            Future<String> f = createFuture();
            f.setResult("x");
            assertThrows(NullPointerException.class, () -> Asyncio.waitFutures(List.of(f), null));
        });
    }

    @Test
    void allCompletedWaitsForEveryFutureAndRaisesNothing() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(10, "a");
            Task<String> bad = failAfter(20, new IllegalStateException("bad"));
            Task<String> c = after(30, "c");
            WaitResult<String> r = Asyncio.waitFutures(List.of(a, bad, c));
            assertEquals(Set.of(a, bad, c), r.done());
            assertTrue(r.pending().isEmpty());
            assertTrue(bad.exception() instanceof IllegalStateException);
        });
    }

    @Test
    void doneSetIsInCompletionOrder() {
        AsyncTesting.runVirtual(() -> {
            Future<String> slow = later(40, "slow");
            Future<String> fast = later(5, "fast");
            Future<String> middle = later(20, "middle");
            WaitResult<String> r = Asyncio.waitFutures(List.of(slow, fast, middle));
            assertEquals(List.of(fast, middle, slow), new ArrayList<>(r.done()));
        });
    }

    @Test
    void duplicateFuturesAreWaitedOnce() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(5, "a");
            WaitResult<String> r = Asyncio.waitFutures(List.of(a, a));
            assertEquals(1, r.done().size());
            assertTrue(r.pending().isEmpty());
        });
    }

    @Test
    void timeoutReturnsWithPendingFuturesWithoutCancellingOrRaising() {
        AsyncTesting.runVirtual(() -> {
            Task<String> fast = after(5, "fast");
            Task<String> slow = after(400, "slow");
            long start = nowMillis();
            WaitResult<String> r = Asyncio.waitFutures(List.of(fast, slow), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(100));
            assertEquals(100, nowMillis() - start, "returned at the timeout");
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.isDone(), "nothing is cancelled");
            assertEquals("slow", await(slow));
        });
    }

    @Test
    void zeroTimeoutReturnsAtOnce() {
        AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("x");
            Future<String> pending = createFuture();
            WaitResult<String> r = Asyncio.waitFutures(List.of(done, pending), ReturnWhen.ALL_COMPLETED, Duration.ZERO);
            assertEquals(Set.of(done), r.done());
            assertEquals(Set.of(pending), r.pending());
            assertFalse(pending.isDone());
        });
    }

    @Test
    void firstCompletedReturnsAfterTheFirstCompletion() {
        AsyncTesting.runVirtual(() -> {
            Task<String> slow = after(200, "slow");
            Task<String> fast = after(10, "fast");
            WaitResult<String> r = Asyncio.waitFutures(List.of(slow, fast), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void firstCompletedCountsACancelledFuture() {
        AsyncTesting.runVirtual(() -> {
            Future<String> a = createFuture();
            Future<String> b = createFuture();
            Asyncio.getRunningLoop().callLater(Duration.ofMillis(10), () -> a.cancel());
            WaitResult<String> r = Asyncio.waitFutures(List.of(a, b), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
        });
    }

    @Test
    void firstCompletedReturnsAtOnceWhenAFutureIsAlreadyDone() {
        AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("x");
            Task<String> slow = after(200, "slow");
            long start = nowMillis();
            WaitResult<String> r = Asyncio.waitFutures(List.of(slow, done), ReturnWhen.FIRST_COMPLETED);
            assertEquals(0, nowMillis() - start, "a done future ends the wait at once");
            assertEquals(Set.of(done), r.done());
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailure() {
        AsyncTesting.runVirtual(() -> {
            Future<String> ok = later(5, "ok");
            Future<String> bad = failLater(20, new IllegalStateException("bad"));
            Task<String> slow = after(300, "slow");
            WaitResult<String> r = Asyncio.waitFutures(List.of(ok, bad, slow), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(ok, bad), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertTrue(bad.exception() instanceof IllegalStateException);
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void firstExceptionDoesNotCountACancelledFuture() {
        AsyncTesting.runVirtual(() -> {
            Task<String> victim = after(1000, "victim");
            Task<String> ok = after(40, "ok");
            Asyncio.getRunningLoop().callLater(Duration.ofMillis(5), () -> victim.cancel());
            WaitResult<String> r = Asyncio.waitFutures(List.of(victim, ok), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(victim, ok), r.done(), "behaves as ALL_COMPLETED when nothing fails");
            assertTrue(r.pending().isEmpty());
            assertTrue(victim.isCancelled());
        });
    }

    @Test
    void firstExceptionReturnsAtOnceWhenAFutureAlreadyFailed() {
        AsyncTesting.runVirtual(() -> {
            Future<String> failed = createFuture();
            failed.setException(new IllegalStateException("x"));
            Task<String> slow = after(300, "slow");
            WaitResult<String> r = Asyncio.waitFutures(List.of(failed, slow), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(failed), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertTrue(failed.exception() instanceof IllegalStateException);
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void cancellingTheWaitingTaskDoesNotCancelTheFutures() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(150, "a");
            Task<String> b = after(150, "b");
            Task<WaitResult<String>> waiter = createTask(() -> Asyncio.waitFutures(List.of(a, b)));
            sleep(Duration.ofMillis(10));
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            assertFalse(a.isDone());
            assertFalse(b.isDone());
            assertEquals("a", await(a));
            assertEquals("b", await(b));
        });
    }

    @Test
    void waitIsASuspensionPointThatChecksForCancellation() {
        AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("x");
            Task<WaitResult<String>> waiter = createTask(() -> {
                Asyncio.currentTask().cancel();
                return Asyncio.waitFutures(List.of(done));
            });
            assertThrows(CancelledError.class, () -> await(waiter));
            assertTrue(waiter.isCancelled());
        });
    }
}
