package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.gatherSettled;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** asyncio.gather and gather(return_exceptions=True) as gather/gatherSettled (ASYNCIO-SEMANTICS E). */
class GatherTest {

    private static <T> Task<T> after(long millis, T value) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            return value;
        });
    }

    private static <T> Task<T> failAfter(long millis, RuntimeException error) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            throw error;
        });
    }

    @Test
    void resultsComeInArgumentOrderNotCompletionOrder() {
        List<String> r = AsyncTesting.runVirtual(() -> {
            List<String> finished = new ArrayList<>();
            Task<String> fast = createTask(() -> {
                sleep(Duration.ofMillis(10));
                finished.add("fast");
                return "fast";
            });
            Task<String> slow = createTask(() -> {
                await(fast);
                sleep(Duration.ofMillis(5));
                finished.add("slow");
                return "slow";
            });
            List<String> results = await(gather(slow, fast));
            assertEquals(List.of("fast", "slow"), finished);
            return results;
        });
        assertEquals(List.of("slow", "fast"), r);
    }

    @Test
    void gatherIsAFutureUsableWithoutAwait() {
        AsyncTesting.runVirtual(() -> {
            Future<List<Integer>> g = gather(after(10, 1), after(5, 2));
            List<List<Integer>> seen = new ArrayList<>();
            g.addDoneCallback(f -> seen.add(f.result()));
            sleep(Duration.ofMillis(150));
            assertTrue(g.isDone());
            assertEquals(List.of(List.of(1, 2)), seen);
        });
    }

    @Test
    void gatherOfNothingIsAlreadyDoneWithAnEmptyList() {
        AsyncTesting.runVirtual(() -> {
            Future<List<Object>> g = gather();
            assertTrue(g.isDone());
            assertEquals(List.of(), g.result());
            Future<List<Outcome<Object>>> s = gatherSettled(List.of());
            assertTrue(s.isDone());
            assertEquals(List.of(), s.result());
        });
    }

    @Test
    void sameFutureTwiceIsWaitedOnceAndItsResultRepeated() {
        List<Integer> r = AsyncTesting.runVirtual(() -> {
            Task<Integer> a = after(10, 7);
            Task<Integer> b = after(5, 8);
            return await(gather(a, b, a));
        });
        assertEquals(List.of(7, 8, 7), r);
    }

    @Test
    void gatherAcceptsPlainFuturesAndAlreadyDoneOnes() {
        List<String> r = AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("done");
            Future<String> later = createFuture();
            Asyncio.getRunningLoop().callLater(java.time.Duration.ofMillis(10), () -> later.setResult("later"));
            return await(gather(later, done));
        });
        assertEquals(List.of("later", "done"), r);
    }

    @Test
    void firstFailureCompletesGatherButSiblingsKeepRunning() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> failing = failAfter(10, boom);
            Task<String> sibling = after(150, "sibling");
            Future<List<String>> g = gather(failing, sibling);
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> await(g));
            assertSame(boom, thrown);
            assertFalse(sibling.isDone(), "the sibling is still running");
            assertFalse(g.cancel(), "cancelling a done gather does nothing");
            assertEquals("sibling", await(sibling));
            assertFalse(sibling.isCancelled());
        });
    }

    @Test
    void laterFailuresOfSiblingsAreMarkedRetrieved() {
        // AsyncTesting.run fails on any "exception was never retrieved" report
        AsyncTesting.runVirtual(() -> {
            Task<String> first = failAfter(10, new IllegalStateException("first"));
            Task<String> second = failAfter(30, new IllegalArgumentException("second"));
            assertThrows(IllegalStateException.class, () -> await(gather(first, second)));
            Asyncio.waitFutures(List.of(second));
            assertTrue(second.isDone());
        });
    }

    @Test
    void checkedExceptionOfAChildPassesThroughUnchanged() {
        AsyncTesting.runVirtual(() -> {
            java.io.IOException io = new java.io.IOException("io");
            Task<String> failing = createTask(() -> {
                sleep(Duration.ofMillis(5));
                throw io;
            });
            Throwable thrown = assertThrows(Throwable.class, () -> await(gather(failing)));
            assertSame(io, thrown);
        });
    }

    @Test
    void cancelledChildFailsGatherWithCancelledErrorButGatherIsNotCancelled() {
        AsyncTesting.runVirtual(() -> {
            Task<String> victim = after(1000, "never");
            Task<String> sibling = after(150, "sibling");
            Future<List<String>> g = gather(victim, sibling);
            sleep(Duration.ofMillis(5));
            victim.cancel();
            assertThrows(CancelledError.class, () -> await(g));
            assertFalse(g.isCancelled(), "gather holds a CancelledError as its exception");
            assertInstanceOf(CancelledError.class, g.exception());
            assertFalse(sibling.isDone(), "siblings are untouched");
            assertEquals("sibling", await(sibling));
        });
    }

    @Test
    void gatherSettledReturnsOutcomesInPlace() {
        List<Outcome<String>> r = AsyncTesting.runVirtual(() -> {
            Task<String> ok = after(20, "ok");
            Task<String> failing = failAfter(5, new IllegalStateException("bad"));
            Task<String> cancelled = after(1000, "never");
            Future<List<Outcome<String>>> g = gatherSettled(ok, failing, cancelled);
            sleep(Duration.ofMillis(10));
            cancelled.cancel("stop");
            List<Outcome<String>> outcomes = await(g);
            assertTrue(ok.isDone() && failing.isDone() && cancelled.isDone());
            return outcomes;
        });
        assertEquals(3, r.size());
        assertEquals(new Outcome.Success<>("ok"), r.get(0));
        assertInstanceOf(Outcome.Failure.class, r.get(1));
        Throwable error = ((Outcome.Failure<String>) r.get(1)).error();
        assertInstanceOf(IllegalStateException.class, error);
        assertEquals("bad", error.getMessage());
        assertInstanceOf(Outcome.Cancelled.class, r.get(2));
        assertEquals("stop", ((Outcome.Cancelled<String>) r.get(2)).error().getMessage());
    }

    @Test
    void gatherSettledCanBeReadWithAnExhaustiveSwitch() {
        String r = AsyncTesting.runVirtual(() -> {
            StringBuilder sb = new StringBuilder();
            for (Outcome<Integer> o : await(gatherSettled(after(5, 1), failAfter(1, new IllegalStateException("x"))))) {
                switch (o) {
                    case Outcome.Success<Integer>(var value) -> sb.append("v").append(value);
                    case Outcome.Failure<Integer>(var error) -> sb.append("e").append(error.getMessage());
                    case Outcome.Cancelled<Integer> c -> sb.append("c");
                }
            }
            return sb.toString();
        });
        assertEquals("v1ex", r);
    }

    @Test
    void cancellingGatherCancelsEveryPendingChild() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(1000, "a");
            Task<String> b = after(1000, "b");
            Task<String> done = after(0, "done");
            await(done);
            Future<List<String>> g = gather(a, b, done);
            assertTrue(g.cancel());
            assertThrows(CancelledError.class, () -> await(g));
            assertTrue(a.isCancelled());
            assertTrue(b.isCancelled());
            assertEquals("done", done.result());
        });
    }

    @Test
    void cancelledGatherRaisesEvenIfAChildSwallowsTheCancellation() {
        AsyncTesting.runVirtual(() -> {
            Task<String> stubborn = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "normal";
            });
            sleep(Duration.ofMillis(5));
            Future<List<String>> g = gather(stubborn);
            assertTrue(g.cancel());
            assertThrows(CancelledError.class, () -> await(g));
            assertEquals("swallowed", await(stubborn));
        });
    }

    @Test
    void cancelledGatherSettledRaisesEvenThoughItCollectsOutcomes() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(1000, "a");
            Task<String> stubborn = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "normal";
            });
            sleep(Duration.ofMillis(5));
            Future<List<Outcome<String>>> g = gatherSettled(a, stubborn);
            assertTrue(g.cancel());
            assertThrows(CancelledError.class, () -> await(g));
            assertTrue(a.isCancelled());
            assertEquals("swallowed", await(stubborn));
        });
    }

    @Test
    void cancellingGatherWhoseChildrenAreAllDoneReturnsFalse() {
        AsyncTesting.runVirtual(() -> {
            Future<String> f = createFuture();
            Future<List<String>> g = gather(f);
            f.setResult("x");
            // g completes once f's callbacks run; until then it is pending but has nothing to cancel
            assertFalse(g.cancel());
            assertEquals(List.of("x"), await(g));
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsGatherAndItsChildren() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a = after(1000, "a");
            Task<String> b = after(1000, "b");
            List<Future<List<String>>> box = new ArrayList<>();
            Task<List<String>> waiter = createTask(() -> {
                Future<List<String>> g = gather(a, b);
                box.add(g);
                return await(g);
            });
            sleep(Duration.ofMillis(10));
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            assertTrue(waiter.isCancelled());
            assertTrue(a.isCancelled());
            assertTrue(b.isCancelled());
            assertTrue(box.get(0).isDone());
        });
    }

    @Test
    void futuresOfDifferentLoopsAreRejected() {
        EventLoop other = Asyncio.newEventLoop();
        try {
            Future<String> foreign = other.createFuture();
            AsyncTesting.runVirtual(() -> {
                Future<String> local = createFuture();
                assertThrows(IllegalArgumentException.class, () -> gather(local, foreign));
            });
        } finally {
            other.close();
        }
    }
}
