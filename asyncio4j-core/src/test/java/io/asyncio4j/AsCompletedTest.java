package io.asyncio4j;

import static io.asyncio4j.Asyncio.asCompleted;
import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio.as_completed as a single-use iterable of done futures (ASYNCIO-SEMANTICS F5, F6). */
class AsCompletedTest {

    private static Task<String> after(long millis, String value) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            return value;
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

    @Test
    void yieldsTheOriginalFuturesInCompletionOrder() {
        AsyncTesting.runVirtual(() -> {
            Future<String> slow = later(45, "slow");
            Future<String> fast = later(5, "fast");
            Future<String> middle = later(25, "middle");
            List<Future<String>> order = new ArrayList<>();
            for (Future<String> f : asCompleted(List.of(slow, fast, middle))) {
                assertTrue(f.isDone(), "each yielded future is done");
                order.add(f);
            }
            assertEquals(List.of(fast, middle, slow), order);
        });
    }

    @Test
    void awaitingAYieldedFutureGivesItsResultOrItsException() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Future<String> ok = later(20, "ok");
            Future<String> bad = failLater(5, boom);
            Iterator<Future<String>> it = asCompleted(List.of(ok, bad)).iterator();
            Future<String> first = it.next();
            assertSame(bad, first);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> await(first)));
            assertEquals("ok", await(it.next()));
            assertFalse(it.hasNext());
        });
    }

    @Test
    void cancelledFutureIsYieldedAndRaisesCancelledErrorWhenAwaited() {
        AsyncTesting.runVirtual(() -> {
            Future<String> victim = createFuture();
            Future<String> ok = later(30, "ok");
            Asyncio.getRunningLoop().callLater(Duration.ofMillis(5), () -> victim.cancel());
            Iterator<Future<String>> it = asCompleted(List.of(victim, ok)).iterator();
            Future<String> first = it.next();
            assertSame(victim, first);
            assertThrows(CancelledError.class, () -> await(first));
            assertSame(ok, it.next());
        });
    }

    @Test
    void duplicateInputsAreYieldedOnce() {
        AsyncTesting.runVirtual(() -> {
            Future<String> a = later(5, "a");
            Future<String> b = later(10, "b");
            List<Future<String>> seen = new ArrayList<>();
            for (Future<String> f : asCompleted(List.of(a, b, a))) {
                seen.add(f);
            }
            assertEquals(List.of(a, b), seen);
        });
    }

    @Test
    void emptyInputYieldsNothing() {
        AsyncTesting.runVirtual(() -> {
            assertFalse(asCompleted(List.<Future<String>>of()).iterator().hasNext());
            assertFalse(asCompleted(List.<Future<String>>of(), Duration.ofMillis(10)).iterator().hasNext());
        });
    }

    @Test
    void alreadyDoneFuturesAreYieldedToo() {
        AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("done");
            Task<String> later = after(20, "later");
            List<Future<String>> seen = new ArrayList<>();
            for (Future<String> f : asCompleted(List.of(later, done))) {
                seen.add(f);
            }
            assertEquals(List.of(done, later), seen);
        });
    }

    @Test
    void timeoutMakesTheNextStepThrowTimeoutErrorWithoutCancellingTheRest() {
        AsyncTesting.runVirtual(() -> {
            Task<String> fast = after(5, "fast");
            Task<String> slow = after(400, "slow");
            Iterator<Future<String>> it = asCompleted(List.of(fast, slow), Duration.ofMillis(100)).iterator();
            assertSame(fast, it.next());
            assertTrue(it.hasNext());
            long start = Asyncio.getRunningLoop().time();
            TimeoutError e = assertThrows(TimeoutError.class, it::next);
            long waited = (Asyncio.getRunningLoop().time() - start) / 1_000_000L;
            assertEquals(95, waited, "the overall timeout (100 ms from the start) ended the wait");
            assertFalse(slow.isDone(), "unfinished futures are not cancelled");
            assertFalse(slow.isCancelled());
            assertTrue(e.getMessage() != null);
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void futuresDoneBeforeTheTimeoutAreStillYieldedAfterIt() {
        AsyncTesting.runVirtual(() -> {
            Future<String> a = later(5, "a");
            Future<String> b = later(10, "b");
            Task<String> slow = after(400, "slow");
            Iterable<Future<String>> it = asCompleted(List.of(a, b, slow), Duration.ofMillis(100));
            sleep(Duration.ofMillis(150));
            List<Future<String>> seen = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                for (Future<String> f : it) {
                    seen.add(f);
                }
            });
            assertInstanceOf(TimeoutError.class, e);
            assertEquals(List.of(a, b), seen);
            slow.cancel();
            assertThrows(CancelledError.class, () -> await(slow));
        });
    }

    @Test
    void iterableCanBeIteratedOnlyOnce() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(1, "a");
            Iterable<Future<String>> it = asCompleted(List.of(a));
            for (Future<String> f : it) {
                assertSame(a, f);
            }
            assertThrows(IllegalStateException.class, it::iterator);
        });
    }

    @Test
    void cancellingTheIteratingTaskLeavesTheFuturesRunning() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(150, "a");
            Task<Integer> consumer = createTask(() -> {
                int n = 0;
                for (Future<String> f : asCompleted(List.of(a))) {
                    n += f.isDone() ? 1 : 0;
                }
                return n;
            });
            sleep(Duration.ofMillis(10));
            consumer.cancel();
            assertThrows(CancelledError.class, () -> await(consumer));
            assertFalse(a.isDone());
            assertEquals("a", await(a));
        });
    }
}
