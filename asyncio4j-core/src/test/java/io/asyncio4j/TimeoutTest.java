package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static io.asyncio4j.Asyncio.timeout;
import static io.asyncio4j.Asyncio.timeoutAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** asyncio.timeout / timeout_at scopes with TimeoutError raised at the suspension point (ASYNCIO-SEMANTICS H). */
class TimeoutTest {
    // Every test runs on an autojumping virtual clock: deadlines are exact and cost no real time.

    private static final Duration MS10 = Duration.ofMillis(10);
    private static final Duration LONG = Duration.ofSeconds(10);

    private static long nowMillis() {
        return getRunningLoop().time() / 1_000_000L;
    }

    /** Holds the loop without suspending while time passes, so that deadlines pass unseen. */
    private static void busy(long millis) {
        AsyncTesting.advance(Duration.ofMillis(millis));
    }

    @Test
    void whenReturnsTheDeadline() {
        AsyncTesting.runVirtual(() -> {
            long before = getRunningLoop().time();
            try (Timeout t = timeout(Duration.ofSeconds(2))) {
                long after = getRunningLoop().time();
                long when = t.when().orElseThrow();
                assertTrue(when >= before + 2_000_000_000L && when <= after + 2_000_000_000L);
            }
            long at = getRunningLoop().time() + 5_000_000_000L;
            try (Timeout t = timeoutAt(at)) {
                assertEquals(OptionalLong.of(at), t.when());
            }
            try (Timeout t = timeout(null)) {
                assertEquals(OptionalLong.empty(), t.when());
                sleep(Duration.ofMillis(20));
                assertFalse(t.expired());
            }
        });
    }

    @Test
    void blockFinishingInTimeDoesNotExpire() {
        AsyncTesting.runVirtual(() -> {
            try (Timeout t = timeout(Duration.ofSeconds(5))) {
                sleep(Duration.ofMillis(5));
                assertFalse(t.expired());
            }
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void timeoutMustBeOpenedInsideATask() {
        AsyncTesting.runVirtual(() -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            getRunningLoop().callSoon(() -> {
                try {
                    timeout(MS10).close();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            sleep(Duration.ofMillis(5));
            assertInstanceOf(IllegalStateException.class, error.get());
        });
        assertThrows(IllegalStateException.class, () -> timeout(MS10));
    }

    @Test
    void expiryInterruptsTheBlockWithATimeoutErrorNamingTheScope() {
        AsyncTesting.runVirtual(() -> {
            List<Timeout> scope = new ArrayList<>();
            long start = nowMillis();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(Duration.ofMillis(20))) {
                    scope.add(t);
                    sleep(Duration.ofMillis(1000));
                    fail("not interrupted");
                }
            });
            assertEquals(20, nowMillis() - start, "exactly at the deadline, on the virtual clock");
            assertSame(scope.get(0), e.timeout());
            assertTrue(scope.get(0).expired());
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, currentTask().cancelling(), "the scope withdrew its cancellation at exit");
        });
    }

    @Test
    void timeoutErrorIsNotACancelledErrorAndIsCaughtAsAnException() {
        AsyncTesting.runVirtual(() -> {
            String r;
            try (var _ = timeout(MS10)) {
                sleep(Duration.ofMillis(1000));
                r = "not interrupted";
            } catch (Exception e) {
                r = e.getClass().getSimpleName();
            }
            assertEquals("TimeoutError", r);
        });
    }

    @Test
    void expiryCountsInCancellingUntilTheScopeCloses() {
        AsyncTesting.runVirtual(() -> {
            Task<?> me = currentTask();
            try (Timeout t = timeout(MS10)) {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    assertSame(t, e.timeout());
                    assertEquals(1, me.cancelling());
                }
            }
            assertEquals(0, me.cancelling());
        });
    }

    @Test
    void blockThatSwallowsTheExpiryWithoutSuspendingExitsNormally() {
        String r = AsyncTesting.runVirtual(() -> {
            String result = "none";
            try (Timeout t = timeout(MS10)) {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    result = "swallowed";
                }
                assertTrue(t.expired());
            }
            sleep(Duration.ofMillis(5)); // the task is not cancelled any more
            assertEquals(0, currentTask().cancelling());
            return result;
        });
        assertEquals("swallowed", r);
    }

    @Test
    void expiredScopeInterruptsEverySuspensionUntilItCloses() {
        AsyncTesting.runVirtual(() -> {
            int interruptions = 0;
            try (Timeout t = timeout(MS10)) {
                for (int i = 0; i < 3; i++) {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (TimeoutError e) {
                        assertSame(t, e.timeout());
                        interruptions++;
                    }
                }
                try {
                    sleep(Duration.ZERO);
                    fail("sleep(Duration.ZERO) inside an expired scope must throw");
                } catch (TimeoutError e) {
                    interruptions++;
                }
            }
            assertEquals(4, interruptions);
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void outerScopeExpiringFirstOwnsTheError() {
        AsyncTesting.runVirtual(() -> {
            List<Timeout> scopes = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout outer = timeout(MS10)) {
                    scopes.add(outer);
                    try (Timeout inner = timeout(LONG)) {
                        scopes.add(inner);
                        sleep(Duration.ofMillis(1000));
                    }
                }
            });
            assertSame(scopes.get(0), e.timeout());
            assertTrue(scopes.get(0).expired());
            assertFalse(scopes.get(1).expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void innerScopeExpiringFirstOwnsTheErrorAndTheOuterLetsItThrough() {
        AsyncTesting.runVirtual(() -> {
            List<Timeout> scopes = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout outer = timeout(LONG)) {
                    scopes.add(outer);
                    try (Timeout inner = timeout(MS10)) {
                        scopes.add(inner);
                        sleep(Duration.ofMillis(1000));
                    }
                }
            });
            assertSame(scopes.get(1), e.timeout());
            assertFalse(scopes.get(0).expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void innerTimeoutCaughtInsideTheOuterLetsTheOuterContinue() {
        AsyncTesting.runVirtual(() -> {
            try (Timeout outer = timeout(LONG)) {
                try (var _ = timeout(MS10)) {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    assertFalse(outer.expired());
                }
                sleep(Duration.ofMillis(5)); // the outer scope is not cancelled
            }
        });
    }

    @Test
    void bothScopesExpiringInOneIterationTheOuterOwnsTheError() {
        AsyncTesting.runVirtual(() -> {
            List<Timeout> scopes = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout outer = timeout(Duration.ofMillis(20))) {
                    scopes.add(outer);
                    try (Timeout inner = timeout(MS10)) {
                        scopes.add(inner);
                        busy(40);
                        sleep(Duration.ofMillis(1000)); // both deadlines are due when the loop next looks at its timers
                    }
                }
            });
            assertSame(scopes.get(0), e.timeout());
            assertTrue(scopes.get(0).expired());
            assertTrue(scopes.get(1).expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void externalCancelInsideTheScopeArrivesAsCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = timeout(LONG)) {
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            sleep(Duration.ofMillis(10));
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void externalCancelRequestedPastTheDeadlineArrivesAsCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = timeout(MS10)) {
                    busy(30);
                    currentTask().cancel();
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            assertInstanceOf(CancelledError.class, assertThrows(Throwable.class, () -> await(t)));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void externalCancelRacingTheExpiryArrivesAsCancelledError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = timeout(MS10)) {
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            sleep(Duration.ofMillis(1));
            busy(30); // t's deadline passes while the loop is held
            t.cancel();
            assertInstanceOf(CancelledError.class, assertThrows(Throwable.class, () -> await(t)));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void externalCancelAtTheSameInstantAsTheExpiryArrivesAsCancelledError() {
        AsyncTesting.runVirtual(() -> {
            long when = getRunningLoop().time() + 10_000_000L;
            List<Task<String>> box = new ArrayList<>();
            // registered before the scope's deadline, with the same time: runs first (ties are FIFO)
            getRunningLoop().callAt(when, () -> box.get(0).cancel());
            Task<String> t = createTask(() -> {
                try (var _ = timeoutAt(when)) {
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            box.add(t);
            assertInstanceOf(CancelledError.class, assertThrows(Throwable.class, () -> await(t)));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void externalCancelDuringAShieldedCleanupAfterTheExpiryArrivesAsCancelledError() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<Void> cleaning = Asyncio.createFuture();
            Task<String> t = createTask(() -> {
                try (var _ = timeout(MS10)) {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (TimeoutError e) {
                        try (var _ = Asyncio.shieldedScope()) {
                            cleaning.setResult(null);
                            sleep(Duration.ofMillis(40)); // cancelled from outside meanwhile
                            events.add("cleanup done");
                        }
                    }
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            await(cleaning);
            t.cancel();
            assertInstanceOf(CancelledError.class, assertThrows(Throwable.class, () -> await(t)));
            assertEquals(List.of("cleanup done"), events);
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void expiredDeadlineAtEntryRunsCodeUntilTheFirstSuspension() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> {
                try (var _ = timeout(Duration.ZERO)) {
                    events.add("before the first suspension");
                    sleep(Duration.ZERO);
                    events.add("after");
                }
            });
            assertEquals(List.of("before the first suspension"), events);
            assertThrows(TimeoutError.class, () -> {
                try (var _ = timeoutAt(getRunningLoop().time() - 1_000_000L)) {
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void scopeWorksWhenEnteredWithAnEarlierCancelNotWithdrawn() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    // swallowed without uncancel(): cancelling() stays 1
                }
                assertEquals(1, currentTask().cancelling());
                try (var _ = timeout(MS10)) {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    assertEquals(1, currentTask().cancelling());
                    return "timed out";
                }
                return "not timed out";
            });
            sleep(Duration.ofMillis(5));
            t.cancel();
            assertEquals("timed out", await(t));
        });
    }

    @Test
    void otherExceptionRaisedAfterTheExpiryPropagates() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (var _ = timeout(MS10)) {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (TimeoutError t) {
                        throw new IllegalStateException("cleanup failed", t);
                    }
                }
            });
            assertInstanceOf(TimeoutError.class, e.getCause());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void rescheduleAfterExitIsRefused() {
        AsyncTesting.runVirtual(() -> {
            Timeout t;
            try (Timeout s = timeout(LONG)) {
                t = s;
            }
            assertThrows(IllegalStateException.class, () -> t.reschedule(0));
            assertThrows(IllegalStateException.class, () -> t.rescheduleAfter(MS10));
            assertThrows(IllegalStateException.class, t::removeDeadline);
        });
    }

    @Test
    void rescheduleOfAnExpiredScopeIsRefused() {
        AsyncTesting.runVirtual(() -> {
            try (Timeout t = timeout(MS10)) {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    assertThrows(IllegalStateException.class, () -> t.rescheduleAfter(LONG));
                    assertThrows(IllegalStateException.class, t::removeDeadline);
                }
            }
        });
    }

    @Test
    void rescheduleToThePastExpiresInTheNextIteration() {
        AsyncTesting.runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(LONG)) {
                    t.reschedule(getRunningLoop().time() - 1);
                    assertFalse(t.expired(), "not synchronously");
                    sleep(Duration.ZERO);
                }
            });
        });
    }

    @Test
    void rescheduleMovesTheDeadline() {
        AsyncTesting.runVirtual(() -> {
            long start = nowMillis();
            assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(LONG)) {
                    t.rescheduleAfter(Duration.ofMillis(20));
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertEquals(20, nowMillis() - start, "the moved deadline, exactly");
            try (Timeout t = timeout(MS10)) {
                t.rescheduleAfter(LONG);
                sleep(Duration.ofMillis(30));
                assertFalse(t.expired());
            }
        });
    }

    @Test
    void removeDeadlineDisablesTheExpiry() {
        AsyncTesting.runVirtual(() -> {
            try (Timeout t = timeout(MS10)) {
                t.removeDeadline();
                assertEquals(OptionalLong.empty(), t.when());
                sleep(Duration.ofMillis(30));
                assertFalse(t.expired());
            }
        });
    }

    @Test
    void closingScopesOutOfOrderIsRefused() {
        AsyncTesting.runVirtual(() -> {
            Timeout outer = timeout(LONG);
            Timeout inner = timeout(LONG);
            assertThrows(IllegalStateException.class, outer::close);
            inner.close();
            outer.close();
            assertThrows(IllegalStateException.class, outer::close);
        });
    }

    @Test
    void expiryInsideATaskGroupBodyCancelsChildrenAndRaisesTimeoutError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            List<Timeout> scope = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(Duration.ofMillis(20))) {
                    scope.add(t);
                    try (TaskGroup tg = taskGroup()) {
                        children.add(tg.createTask(() -> {
                            sleep(Duration.ofMillis(1000));
                            return "a";
                        }));
                        children.add(tg.createTask(() -> {
                            sleep(Duration.ofMillis(1000));
                            return "b";
                        }));
                        sleep(Duration.ofMillis(1000));
                    }
                }
            });
            assertSame(scope.get(0), e.timeout());
            for (Task<String> c : children) {
                assertTrue(c.isCancelled());
            }
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void expiryInsideTheLambdaTaskGroupCancelsChildrenAndRaisesTimeoutError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> {
                try (var _ = timeout(Duration.ofMillis(20))) {
                    taskGroup(tg -> {
                        children.add(tg.createTask(() -> {
                            sleep(Duration.ofMillis(1000));
                            return "a";
                        }));
                        return null;
                    });
                }
            });
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void taskWhoseTimeoutFiredEndsNormally() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = timeout(MS10)) {
                    sleep(Duration.ofMillis(1000));
                } catch (TimeoutError e) {
                    return "recovered";
                }
                return "normal";
            });
            assertEquals("recovered", await(t));
            assertFalse(t.isCancelled());
            assertEquals(0, t.cancelling());
        });
    }

    @Test
    void timeoutErrorEscapingTheTaskFailsItWithTimeoutError() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = timeout(MS10)) {
                    sleep(Duration.ofMillis(1000));
                }
                return "normal";
            });
            assertThrows(TimeoutError.class, () -> await(t));
            assertFalse(t.isCancelled());
        });
    }
}
