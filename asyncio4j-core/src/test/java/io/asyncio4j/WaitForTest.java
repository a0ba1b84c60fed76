package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.shield;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio.wait_for on coroutines (run in the caller's task) and on futures (ASYNCIO-SEMANTICS G). */
class WaitForTest {

    private static final Duration MS10 = Duration.ofMillis(10);

    private static Task<String> after(long millis, String value) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            return value;
        });
    }

    private static long nowMillis() {
        return Asyncio.getRunningLoop().time() / 1_000_000L;
    }

    @Test
    void resultArrivingInTimeIsReturned() {
        AsyncTesting.runVirtual(() -> {
            assertEquals("c", waitFor(() -> {
                sleep(Duration.ofMillis(5));
                return "c";
            }, Duration.ofSeconds(5)));
            assertEquals("f", waitFor(after(5, "f"), Duration.ofSeconds(5)));
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void nullTimeoutWaitsLikeAwait() {
        AsyncTesting.runVirtual(() -> {
            assertEquals("c", waitFor(() -> {
                sleep(Duration.ofMillis(20));
                return "c";
            }, null));
            assertEquals("f", waitFor(after(20, "f"), null));
        });
    }

    @Test
    void coroutineRunsInTheCallersTask() {
        AsyncTesting.runVirtual(() -> {
            Task<?> me = currentTask();
            Task<?> inside = waitFor(() -> {
                sleep(Duration.ofMillis(1));
                return currentTask();
            }, Duration.ofSeconds(5));
            assertSame(me, inside);
        });
    }

    @Test
    void exceptionOfTheCoroutinePassesThroughUnchanged() {
        AsyncTesting.runVirtual(() -> {
            IOException io = new IOException("io");
            Throwable thrown = assertThrows(Throwable.class, () -> waitFor(() -> {
                sleep(Duration.ofMillis(1));
                throw io;
            }, Duration.ofSeconds(5)));
            assertSame(io, thrown);
            Task<String> failing = createTask(() -> {
                sleep(Duration.ofMillis(1));
                throw io;
            });
            assertSame(io, assertThrows(Throwable.class, () -> waitFor(failing, Duration.ofSeconds(5))));
        });
    }

    @Test
    void coroutineTimeoutThrowsTimeoutErrorCausedByCancelledError() {
        AsyncTesting.runVirtual(() -> {
            long start = nowMillis();
            TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(() -> {
                sleep(Duration.ofMillis(1000));
                return "late";
            }, Duration.ofMillis(20)));
            assertEquals(20, nowMillis() - start, "exactly the timeout (virtual clock)");
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, currentTask().cancelling(), "the timeout withdrew its cancellation");
            assertFalse(currentTask().isCancelled());
        });
    }

    @Test
    void coroutineTimeoutRunsItsCleanupBeforeTimeoutErrorArrives() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> waitFor(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } finally {
                    events.add("cleanup");
                }
                return "late";
            }, MS10));
            events.add("caught");
            assertEquals(List.of("cleanup", "caught"), events);
        });
    }

    @Test
    void futureTimeoutCancelsTheFutureAndWaitsForItsCleanup() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> inner = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } finally {
                    events.add("cleanup starts");
                    sleep(Duration.ofMillis(40)); // a shielded region is not needed: the inner's own cleanup may suspend
                    events.add("cleanup ends");
                }
                return "late";
            });
            long start = nowMillis();
            TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(inner, MS10));
            long elapsed = nowMillis() - start;
            assertTrue(inner.isCancelled(), "the inner is done and cancelled when waitFor throws");
            assertEquals(List.of("cleanup starts", "cleanup ends"), events);
            assertTrue(elapsed >= 45, "waited for the cleanup: " + elapsed + " ms");
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void futureTimeoutCancelsAPlainFuture() {
        AsyncTesting.runVirtual(() -> {
            Future<String> f = createFuture();
            assertThrows(TimeoutError.class, () -> waitFor(f, MS10));
            assertTrue(f.isCancelled());
        });
    }

    @Test
    void zeroTimeoutWithACoroutineThrowsWithoutRunningIt() {
        AsyncTesting.runVirtual(() -> {
            boolean[] ran = {false};
            TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(() -> {
                ran[0] = true;
                return "x";
            }, Duration.ZERO));
            assertFalse(ran[0]);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertThrows(TimeoutError.class, () -> waitFor(() -> {
                ran[0] = true;
                return "x";
            }, Duration.ofMillis(-5)));
            assertFalse(ran[0]);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void zeroTimeoutOnADoneFutureReturnsItsResult() {
        AsyncTesting.runVirtual(() -> {
            Future<String> f = createFuture();
            f.setResult("ready");
            assertEquals("ready", waitFor(f, Duration.ZERO));
            Future<String> failed = createFuture();
            IllegalStateException boom = new IllegalStateException("boom");
            failed.setException(boom);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> waitFor(failed, Duration.ZERO)));
        });
    }

    @Test
    void zeroTimeoutOnAPendingFutureCancelsItWaitsAndThrows() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> inner = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } finally {
                    sleep(Duration.ofMillis(20));
                    events.add("cleaned up");
                }
                return "late";
            });
            sleep(Duration.ofMillis(1));
            assertThrows(TimeoutError.class, () -> waitFor(inner, Duration.ZERO));
            assertTrue(inner.isCancelled());
            assertEquals(List.of("cleaned up"), events);
        });
    }

    @Test
    void negativeTimeoutOnAPendingFutureTimesOutLikeZero() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = after(200, "late");
            long start = nowMillis();
            assertThrows(TimeoutError.class, () -> waitFor(inner, Duration.ofMillis(-5)));
            assertEquals(0, nowMillis() - start, "did not wait for the future");
            assertTrue(inner.isCancelled());
        });
    }

    @Test
    void innerThatSwallowsTheCancellationAndReturnsAValueWins() {
        AsyncTesting.runVirtual(() -> {
            Task<String> stubborn = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "normal";
            });
            assertEquals("swallowed", waitFor(stubborn, MS10));
            assertFalse(stubborn.isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void coroutineThatSwallowsTheTimeoutAndReturnsWithoutSuspendingWins() {
        AsyncTesting.runVirtual(() -> {
            String r = waitFor(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    return "swallowed";
                }
                return "normal";
            }, MS10);
            assertEquals("swallowed", r);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void exceptionRaisedByTheInnerDuringItsCancellationPropagatesInsteadOfTimeout() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    throw new IllegalStateException("cleanup failed");
                }
                return "normal";
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> waitFor(inner, MS10));
            assertEquals("cleanup failed", e.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> waitFor(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError t) {
                    throw new IllegalArgumentException("coroutine cleanup failed");
                }
                return "normal";
            }, MS10));
            assertEquals("coroutine cleanup failed", e2.getMessage());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void externalCancellationCancelsTheInnerAndPropagatesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = after(1000, "late");
            Task<String> waiter = createTask(() -> waitFor(inner, Duration.ofSeconds(5)));
            sleep(Duration.ofMillis(10));
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            assertTrue(waiter.isCancelled());
            assertTrue(inner.isCancelled());
        });
    }

    @Test
    void externalCancellationOfACoroutineWaitPropagatesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> waiter = createTask(() -> waitFor(() -> {
                sleep(Duration.ofMillis(1000));
                return "late";
            }, Duration.ofSeconds(5)));
            sleep(Duration.ofMillis(10));
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            assertTrue(waiter.isCancelled());
        });
    }

    @Test
    void externalCancelWinsOverAnExpiryThatHappensWhileTheInnerCleansUp() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } finally {
                    sleep(Duration.ofMillis(60)); // the timeout passes during this cleanup
                }
                return "late";
            });
            Task<String> waiter = createTask(() -> waitFor(inner, Duration.ofMillis(30)));
            sleep(Duration.ofMillis(10));
            waiter.cancel();
            Throwable thrown = assertThrows(Throwable.class, () -> await(waiter));
            assertInstanceOf(CancelledError.class, thrown, "the external cancel wins");
            assertTrue(waiter.isCancelled());
            assertTrue(inner.isCancelled());
        });
    }

    @Test
    void cancelRequestedAfterTheDeadlinePassedUnseenRaisesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> waiter = createTask(() -> waitFor(() -> {
                AsyncTesting.advance(Duration.ofMillis(30)); // hold the loop past the deadline
                currentTask().cancel();
                sleep(Duration.ZERO); // the cancel and the passed deadline are both pending here
                return "unreachable";
            }, MS10));
            Throwable thrown = assertThrows(Throwable.class, () -> await(waiter));
            assertInstanceOf(CancelledError.class, thrown);
            assertTrue(waiter.isCancelled());
        });
    }

    @Test
    void waitForATaskCancelsItOnTimeoutUnlessShielded() {
        AsyncTesting.runVirtual(() -> {
            Task<String> exposed = after(200, "exposed");
            assertThrows(TimeoutError.class, () -> waitFor(exposed, MS10));
            assertTrue(exposed.isCancelled());

            Task<String> guarded = after(150, "guarded");
            assertThrows(TimeoutError.class, () -> waitFor(shield(guarded), MS10));
            assertFalse(guarded.isDone(), "the shielded task keeps running");
            assertEquals("guarded", await(guarded));
        });
    }

    @Test
    void taskWhoseWaitForTimedOutEndsNormally() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try {
                    waitFor(() -> {
                        sleep(Duration.ofMillis(1000));
                        return "late";
                    }, MS10);
                } catch (TimeoutError e) {
                    sleep(Duration.ofMillis(5)); // not cancelled any more
                    return "recovered";
                }
                return "normal";
            });
            assertEquals("recovered", await(t));
            assertFalse(t.isCancelled());
            assertEquals(0, t.cancelling());
        });
    }
}
