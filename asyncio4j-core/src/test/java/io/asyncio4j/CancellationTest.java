package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/** Conformance of task cancellation: edge-triggered delivery, counting, propagation (asyncio rules C5-C14). */
@Timeout(10)
class CancellationTest {

    @Test
    void cancelledErrorIsAnErrorAndTimeoutErrorAnUncheckedException() {
        assertInstanceOf(Error.class, new CancelledError());
        assertInstanceOf(RuntimeException.class, new TimeoutError("t"));
    }

    @Test
    void catchExceptionDoesNotSwallowCancellation() {
        AsyncTesting.runVirtual(() -> {
            AtomicBoolean caughtAsException = new AtomicBoolean();
            Task<Void> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (Exception e) {
                    caughtAsException.set(true);
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertFalse(caughtAsException.get());
            assertTrue(t.isCancelled());
        });
    }

    // ------------------------------------------------------------------ C6

    @Test
    void cancelBeforeFirstStepRunsNoLineOfTheBody() {
        AsyncTesting.runVirtual(() -> {
            AtomicBoolean bodyRan = new AtomicBoolean();
            AtomicBoolean finallyRan = new AtomicBoolean();
            Task<Void> t = createTask(() -> {
                try {
                    bodyRan.set(true);
                } finally {
                    finallyRan.set(true);
                }
            });
            assertTrue(t.cancel());
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
            assertFalse(bodyRan.get());
            assertFalse(finallyRan.get());
        });
    }

    // ------------------------------------------------------------------ C5

    @Test
    void cancelOfADoneTaskReturnsFalseAndLeavesTheCounterUnchanged() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> t = createTask(() -> 1);
            await(t);
            assertFalse(t.cancel());
            assertFalse(t.cancel("late"));
            assertEquals(0, t.cancelling());
            assertFalse(t.isCancelled());
            assertEquals(1, t.result());
        });
    }

    @Test
    void cancelDoesNotMarkTheTaskCancelledUntilTheCoroutineExits() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> t = createTask(() -> sleep(Duration.ofMillis(10_000)));
            sleep(Duration.ZERO);
            assertTrue(t.cancel());
            assertFalse(t.isCancelled());
            assertFalse(t.isDone());
            assertEquals(1, t.cancelling());
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void cancellingAParkedTaskCancelsTheFutureItAwaits() {
        AsyncTesting.runVirtual(() -> {
            Future<String> awaited = createFuture();
            Task<String> t = createTask(() -> await(awaited));
            sleep(Duration.ZERO);
            t.cancel("stop");
            assertTrue(awaited.isCancelled(), "the awaited future is cancelled at once");
            CancelledError e = assertThrows(CancelledError.class, () -> await(t));
            assertEquals("stop", e.getMessage());
        });
    }

    @Test
    void cancellationIsNeverDeliveredInsideCancel() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    events.add("delivered");
                    throw e;
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            events.add("cancel returned");
            assertThrows(CancelledError.class, () -> await(t));
            assertEquals(List.of("cancel returned", "delivered"), events);
        });
    }

    @Test
    void cancelOfARunnableTaskIsDeliveredAtItsNextSuspensionPoint() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = createTask(() -> {
                currentTask().cancel("self");
                events.add("still running after cancel");
                try {
                    sleep(Duration.ZERO);
                    events.add("not interrupted");
                } catch (CancelledError e) {
                    events.add("interrupted: " + e.getMessage());
                    throw e;
                }
            });
            assertThrows(CancelledError.class, () -> await(t));
            assertEquals(List.of("still running after cancel", "interrupted: self"), events);
        });
    }

    // ------------------------------------------------------------------ C7, C8

    @Test
    void repeatedCancelOfASleepingTaskCountsEveryRequestButDeliversOneErrorWithTheFirstMessage() {
        AsyncTesting.runVirtual(() -> {
            List<String> delivered = new ArrayList<>();
            Task<Integer> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    delivered.add(e.getMessage());
                }
                sleep(Duration.ofMillis(20)); // edge-triggered: not interrupted again
                return 42;
            });
            sleep(Duration.ZERO);
            assertTrue(t.cancel("first"));
            assertTrue(t.cancel("second"));
            assertEquals(2, t.cancelling());
            assertEquals(42, await(t));
            assertEquals(List.of("first"), delivered);
        });
    }

    @Test
    void repeatedCancelOfATaskAwaitingAFutureDeliversOneErrorWithTheFirstMessage() {
        AsyncTesting.runVirtual(() -> {
            Future<String> awaited = createFuture();
            List<String> delivered = new ArrayList<>();
            Task<Integer> t = createTask(() -> {
                try {
                    await(awaited);
                } catch (CancelledError e) {
                    delivered.add(e.getMessage());
                }
                sleep(Duration.ofMillis(20));
                return 42;
            });
            sleep(Duration.ZERO);
            assertTrue(t.cancel("first"));
            assertTrue(t.cancel("second"));
            assertEquals(2, t.cancelling());
            assertEquals(42, await(t));
            assertEquals(List.of("first"), delivered);
        });
    }

    @Test
    void repeatedCancelOfARunnableTaskDeliversOneError() {
        AsyncTesting.runVirtual(() -> {
            List<String> delivered = new ArrayList<>();
            Task<String> t = createTask(() -> {
                Task<?> me = currentTask();
                me.cancel("one");
                me.cancel("two");
                me.cancel("three");
                for (int i = 0; i < 3; i++) {
                    try {
                        sleep(Duration.ZERO);
                    } catch (CancelledError e) {
                        delivered.add(e.getMessage());
                    }
                }
                return "survived";
            });
            assertEquals("survived", await(t));
            assertEquals(List.of("one"), delivered);
            assertEquals(3, t.cancelling());
        });
    }

    @Test
    void taskThatSwallowsCancellationKeepsRunningAndEndsWithItsResult() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    // swallowed
                }
                sleep(Duration.ofMillis(1));
                return "done anyway";
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertEquals("done anyway", await(t));
            assertFalse(t.isCancelled());
            assertEquals(1, t.cancelling());
        });
    }

    // ------------------------------------------------------------------ C9, C10

    @Test
    void taskThatThrowsCancelledErrorItselfEndsCancelled() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> t = createTask(() -> {
                throw new CancelledError("my own");
            });
            CancelledError e = assertThrows(CancelledError.class, () -> await(t));
            assertEquals("my own", e.getMessage());
            assertTrue(t.isCancelled());
            assertEquals(0, t.cancelling());
        });
    }

    @Test
    void awaitingACancelledTaskCancelsTheAwaiterWithoutCountingARequest() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> inner = createTask(() -> sleep(Duration.ofMillis(10_000)));
            Task<Void> outer = createTask(() -> await(inner));
            sleep(Duration.ZERO);
            inner.cancel();
            assertThrows(CancelledError.class, () -> await(outer));
            assertTrue(inner.isCancelled());
            assertTrue(outer.isCancelled());
            assertEquals(0, outer.cancelling());
        });
    }

    @Test
    void cancelRequestedWhileFinishingWithoutAnotherSuspensionEndsTheTaskCancelled() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> t = createTask(() -> {
                currentTask().cancel();
                return 5;
            });
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
        });
    }

    // ------------------------------------------------------------------ C11

    @Test
    void cancellationFlowsDownToTheAwaitedTaskAndItsValueComesBackUp() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> inner = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                    return 0;
                } catch (CancelledError e) {
                    return 42;
                }
            });
            Task<Integer> outer = createTask(() -> await(inner));
            sleep(Duration.ZERO);
            outer.cancel();
            assertEquals(42, await(outer));
            assertFalse(outer.isCancelled());
            assertEquals(1, outer.cancelling());
            assertEquals(1, inner.cancelling());
            assertFalse(inner.isCancelled());
        });
    }

    // ------------------------------------------------------------------ C12

    @Test
    void uncancelDecrementsAndNeverGoesBelowZero() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    // swallowed
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            t.cancel();
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.cancelling());
            await(t);
        });
    }

    @Test
    void uncancelToZeroWithdrawsACancellationNotYetDelivered() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                Task<?> me = currentTask();
                me.cancel();
                assertEquals(0, me.uncancel());
                sleep(Duration.ofMillis(1));
                return "not cancelled";
            });
            assertEquals("not cancelled", await(t));
            assertFalse(t.isCancelled());
        });
    }

    @Test
    void uncancelAboveZeroKeepsACancellationNotYetDelivered() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                Task<?> me = currentTask();
                me.cancel();
                me.cancel();
                assertEquals(1, me.uncancel());
                sleep(Duration.ofMillis(1));
                return "not cancelled";
            });
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
        });
    }

    // ------------------------------------------------------------------ C14

    @Test
    void awaiterOfATaskCancelledWithAMessageSeesThatMessage() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> t = createTask(() -> sleep(Duration.ofMillis(10_000)));
            sleep(Duration.ZERO);
            t.cancel("shutting down");
            CancelledError e = assertThrows(CancelledError.class, () -> await(t));
            assertEquals("shutting down", e.getMessage());
            CancelledError again = assertThrows(CancelledError.class, t::result);
            assertEquals("shutting down", again.getMessage());
        });
    }

    @Test
    void cancelWithoutAMessageGivesACancelledErrorWithoutAMessage() {
        AsyncTesting.runVirtual(() -> {
            Task<Void> t = createTask(() -> sleep(Duration.ofMillis(10_000)));
            sleep(Duration.ZERO);
            t.cancel();
            CancelledError e = assertThrows(CancelledError.class, () -> await(t));
            assertEquals(null, e.getMessage());
        });
    }

    @Test
    void cancelledTaskRunsItsFinallyBlocks() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(10_000));
                } finally {
                    events.add("finally");
                    sleep(Duration.ofMillis(5)); // cleanup may itself suspend
                    events.add("cleanup done");
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertEquals(List.of("finally", "cleanup done"), events);
        });
    }

    @Test
    void cancellingTheAwaiterOfAPlainFutureLeavesOtherAwaitersCancelledToo() {
        AsyncTesting.runVirtual(() -> {
            Future<String> shared = createFuture();
            Task<String> a = createTask(() -> await(shared));
            Task<String> b = createTask(() -> await(shared));
            sleep(Duration.ZERO);
            a.cancel();
            // asyncio: cancellation flows down into the awaited future, which every awaiter sees
            assertThrows(CancelledError.class, () -> await(a));
            assertThrows(CancelledError.class, () -> await(b));
            assertTrue(shared.isCancelled());
            assertEquals(0, b.cancelling());
        });
    }
}
