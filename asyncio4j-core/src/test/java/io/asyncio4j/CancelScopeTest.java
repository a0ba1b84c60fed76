package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.moveOnAfter;
import static io.asyncio4j.Asyncio.moveOnAt;
import static io.asyncio4j.Asyncio.shieldedScope;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Trio-style cancel scopes: moveOnAfter/moveOnAt, shielded scopes, level-triggered cancellation (SEMANTICS section 3). */
class CancelScopeTest {

    private static final Duration MS10 = Duration.ofMillis(10);
    private static final Duration LONG = Duration.ofSeconds(10);

    private static long nowMillis() {
        return getRunningLoop().time() / 1_000_000L;
    }

    // ------------------------------------------------------------------ moveOnAfter / moveOnAt

    @Test
    void moveOnAfterAbsorbsItsOwnDeadlineAndCarriesOn() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            long start = nowMillis();
            CancelScope scope = moveOnAfter(Duration.ofMillis(20), s -> {
                sleep(Duration.ofMillis(1000));
                events.add("body not interrupted");
            });
            assertEquals(20, nowMillis() - start, "moved on at the deadline");
            assertTrue(scope.cancelCalled());
            assertTrue(scope.cancelledCaught());
            assertEquals(List.of(), events);
            assertEquals(0, currentTask().cancelling(), "a cancel scope does not touch the task's counter");
            sleep(Duration.ofMillis(1)); // the task is not cancelled
        });
    }

    @Test
    void moveOnAfterBodyFinishingInTimeIsNotCancelled() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            CancelScope scope = moveOnAfter(LONG, s -> {
                sleep(Duration.ofMillis(5));
                events.add("done");
            });
            assertFalse(scope.cancelCalled());
            assertFalse(scope.cancelledCaught());
            assertEquals(List.of("done"), events);
            sleep(Duration.ofMillis(20));
        });
    }

    @Test
    void scopeReportsItsDeadlineAndWhetherItShields() {
        AsyncTesting.runVirtual(() -> {
            long before = getRunningLoop().time();
            CancelScope scope = moveOnAfter(Duration.ofSeconds(3), s -> {
                long when = s.deadline().orElseThrow();
                assertTrue(when >= before + 3_000_000_000L);
                assertFalse(s.isShielded());
            });
            assertFalse(scope.cancelCalled());
            long at = getRunningLoop().time() + 1_000_000_000L;
            moveOnAt(at, s -> assertEquals(OptionalLong.of(at), s.deadline()));
            try (CancelScope shield = shieldedScope()) {
                assertTrue(shield.isShielded());
                assertEquals(OptionalLong.empty(), shield.deadline());
                assertFalse(shield.cancelCalled());
            }
        });
    }

    @Test
    void moveOnAtWithADeadlineAlreadyPastCancelsAtTheFirstSuspension() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            CancelScope scope = moveOnAt(getRunningLoop().time() - 1, s -> {
                events.add("runs until the first suspension");
                sleep(Duration.ZERO);
                events.add("not interrupted");
            });
            assertTrue(scope.cancelledCaught());
            assertEquals(List.of("runs until the first suspension"), events);
        });
    }

    @Test
    void cancelledScopeIsLevelTriggered() {
        AsyncTesting.runVirtual(() -> {
            int[] interruptions = {0};
            CancelScope scope = moveOnAfter(MS10, s -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (CancelledError e) {
                        interruptions[0]++;
                    }
                }
                sleep(Duration.ZERO); // still cancelled: throws, and the scope absorbs it
                interruptions[0] += 100;
            });
            assertEquals(3, interruptions[0]);
            assertTrue(scope.cancelledCaught());
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void cancelFromTheBodyInterruptsItsNextSuspension() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            CancelScope scope = moveOnAfter(LONG, s -> {
                s.cancel();
                s.cancel(); // idempotent
                assertTrue(s.cancelCalled());
                events.add("runs on until the next suspension");
                sleep(Duration.ofMillis(1000));
                events.add("not interrupted");
            });
            assertTrue(scope.cancelledCaught());
            assertEquals(List.of("runs on until the next suspension"), events);
        });
    }

    @Test
    void scopeCancelledFromAnotherTaskInterruptsTheBody() {
        AsyncTesting.runVirtual(() -> {
            List<CancelScope> box = new ArrayList<>();
            Task<CancelScope> t = createTask(() -> moveOnAfter(LONG, s -> {
                box.add(s);
                sleep(Duration.ofMillis(1000));
            }));
            sleep(Duration.ofMillis(10));
            box.get(0).cancel();
            CancelScope scope = await(t);
            assertSame(box.get(0), scope);
            assertTrue(scope.cancelledCaught());
            assertFalse(t.isCancelled());
        });
    }

    @Test
    void cancelAfterTheScopeEndedDoesNothing() {
        AsyncTesting.runVirtual(() -> {
            CancelScope scope = moveOnAfter(LONG, s -> sleep(Duration.ofMillis(1)));
            scope.cancel();
            assertFalse(scope.cancelledCaught());
            sleep(Duration.ofMillis(1)); // the task is unaffected
        });
    }

    @Test
    void bodyExceptionPropagatesOutOfMoveOnAfter() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> moveOnAfter(LONG, s -> {
                sleep(Duration.ofMillis(1));
                throw boom;
            }));
            assertSame(boom, e);
            java.io.IOException io = new java.io.IOException("checked");
            assertSame(io, assertThrows(Throwable.class, () -> moveOnAfter(LONG, s -> {
                throw io;
            })));
        });
    }

    @Test
    void taskCancellationPassesThroughMoveOnAfter() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = createTask(() -> {
                moveOnAfter(LONG, s -> sleep(Duration.ofMillis(1000)));
                events.add("not absorbed");
                return "moved on";
            });
            sleep(Duration.ofMillis(10));
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
            assertEquals(List.of(), events);
        });
    }

    @Test
    void taskCancellationInsideAScopeStaysEdgeTriggered() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                CancelScope scope = moveOnAfter(LONG, s -> {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (CancelledError e) {
                        // swallowed: asyncio's task.cancel() delivers once
                    }
                    sleep(Duration.ofMillis(5));
                });
                return scope.cancelledCaught() ? "caught" : "finished";
            });
            sleep(Duration.ofMillis(10));
            t.cancel();
            assertEquals("finished", await(t));
            assertEquals(1, t.cancelling());
        });
    }

    @Test
    void outerDeadlineIsCaughtByTheOuterScopeOnly() {
        AsyncTesting.runVirtual(() -> {
            List<CancelScope> inner = new ArrayList<>();
            List<String> events = new ArrayList<>();
            CancelScope outer = moveOnAfter(MS10, o -> {
                moveOnAfter(LONG, i -> {
                    inner.add(i);
                    sleep(Duration.ofMillis(1000));
                });
                events.add("after the inner scope");
            });
            assertTrue(outer.cancelledCaught());
            assertFalse(inner.get(0).cancelCalled());
            assertFalse(inner.get(0).cancelledCaught());
            assertEquals(List.of(), events, "the outer cancellation passes through the inner scope");
        });
    }

    @Test
    void innerDeadlineIsCaughtByTheInnerScopeAndTheOuterCarriesOn() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            CancelScope outer = moveOnAfter(LONG, o -> {
                CancelScope inner = moveOnAfter(MS10, i -> sleep(Duration.ofMillis(1000)));
                assertTrue(inner.cancelledCaught());
                sleep(Duration.ofMillis(5)); // not cancelled
                events.add("after the inner scope");
            });
            assertFalse(outer.cancelCalled());
            assertEquals(List.of("after the inner scope"), events);
        });
    }

    @Test
    void timeoutInsideMoveOnAfterOwnsItsOwnExpiry() {
        AsyncTesting.runVirtual(() -> {
            CancelScope scope = moveOnAfter(LONG, s -> {
                assertThrows(TimeoutError.class, () -> {
                    try (var _ = timeout(MS10)) {
                        sleep(Duration.ofMillis(1000));
                    }
                });
                sleep(Duration.ofMillis(1));
            });
            assertFalse(scope.cancelledCaught());
        });
    }

    @Test
    void moveOnAfterInsideAnExpiredTimeoutLetsTheTimeoutErrorThrough() {
        AsyncTesting.runVirtual(() -> {
            List<CancelScope> inner = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> {
                try (var _ = timeout(MS10)) {
                    inner.add(moveOnAfter(LONG, s -> sleep(Duration.ofMillis(1000))));
                }
            });
            assertTrue(inner.isEmpty(), "the inner scope did not absorb the outer expiry");
        });
    }

    @Test
    void moveOnAfterInsideATaskGroupBodyCancelsNoChildren() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            try (TaskGroup tg = taskGroup()) {
                children.add(tg.createTask(() -> {
                    sleep(Duration.ofMillis(30));
                    return "child";
                }));
                CancelScope scope = moveOnAfter(MS10, s -> sleep(Duration.ofMillis(1000)));
                assertTrue(scope.cancelledCaught());
            }
            assertEquals("child", children.get(0).result());
        });
    }

    @Test
    void bodyThatSwallowsTheCancellationAndReturnsWithoutSuspendingLeavesCancelledCaughtFalse() {
        AsyncTesting.runVirtual(() -> {
            CancelScope scope = moveOnAfter(MS10, s -> {
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    // swallowed, and no further suspension
                }
            });
            assertTrue(scope.cancelCalled());
            assertFalse(scope.cancelledCaught());
        });
    }

    @Test
    void moveOnAfterAroundATaskGroupCancelsItsChildrenAndMovesOn() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            CancelScope scope = moveOnAfter(Duration.ofMillis(20), s -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> {
                        sleep(Duration.ofMillis(1000));
                        return "child";
                    }));
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertTrue(scope.cancelledCaught());
            assertTrue(children.get(0).isCancelled());
            sleep(Duration.ofMillis(1)); // the task is not cancelled
        });
    }

    @Test
    void moveOnAfterAroundATaskGroupWhoseBodyFinishedCancelsItsChildrenAndMovesOn() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            CancelScope scope = moveOnAfter(Duration.ofMillis(20), s -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> {
                        sleep(Duration.ofMillis(1000));
                        return "child";
                    }));
                }
            });
            assertTrue(scope.cancelledCaught());
            assertTrue(children.get(0).isCancelled());
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void moveOnAfterAroundALambdaTaskGroupCancelsItsChildrenAndMovesOn() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            CancelScope scope = moveOnAfter(Duration.ofMillis(20), s -> taskGroup(tg -> {
                children.add(tg.createTask(() -> {
                    sleep(Duration.ofMillis(1000));
                    return "child";
                }));
                sleep(Duration.ofMillis(1000));
                return null;
            }));
            assertTrue(scope.cancelledCaught());
            assertTrue(children.get(0).isCancelled());
            sleep(Duration.ofMillis(1));
        });
    }

    // ------------------------------------------------------------------ shielding

    @Test
    void shieldedScopeDefersTaskCancellationToTheFirstSuspensionAfterIt() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = createTask(() -> {
                try (var _ = shieldedScope()) {
                    sleep(Duration.ofMillis(40));
                    events.add("shielded work finished");
                }
                events.add("after the block, before a suspension");
                sleep(Duration.ofMillis(1000));
                events.add("not cancelled");
                return "done";
            });
            sleep(Duration.ofMillis(10));
            assertTrue(t.cancel());
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(t.isCancelled());
            assertEquals(List.of("shielded work finished", "after the block, before a suspension"), events);
        });
    }

    @Test
    void shieldedScopeBlocksAnEnclosingTimeout() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            List<Timeout> scope = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(MS10)) {
                    scope.add(t);
                    try (var _ = shieldedScope()) {
                        sleep(Duration.ofMillis(40));
                        events.add("shielded work finished");
                    }
                    sleep(Duration.ofMillis(1000));
                    events.add("not interrupted");
                }
            });
            assertSame(scope.get(0), e.timeout());
            assertEquals(List.of("shielded work finished"), events);
        });
    }

    @Test
    void shieldedScopeBlocksAnEnclosingMoveOnAfter() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            CancelScope scope = moveOnAfter(MS10, s -> {
                try (var _ = shieldedScope()) {
                    sleep(Duration.ofMillis(40));
                    events.add("shielded work finished");
                }
                sleep(Duration.ofMillis(1000));
            });
            assertTrue(scope.cancelledCaught());
            assertEquals(List.of("shielded work finished"), events);
        });
    }

    @Test
    void shieldedScopeBlocksAFailingTaskGroupUntilItEnds() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> {
                        sleep(Duration.ofMillis(5));
                        throw new IllegalStateException("boom");
                    });
                    try (var _ = shieldedScope()) {
                        sleep(Duration.ofMillis(40));
                        events.add("shielded work finished");
                    }
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertEquals(List.of("shielded work finished"), events);
        });
    }

    @Test
    void deadlineInsideAShieldedScopeStillApplies() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                try (var _ = shieldedScope()) {
                    CancelScope inner = moveOnAfter(MS10, s -> sleep(Duration.ofMillis(1000)));
                    assertTrue(inner.cancelledCaught());
                    assertThrows(TimeoutError.class, () -> {
                        try (var _ = timeout(MS10)) {
                            sleep(Duration.ofMillis(1000));
                        }
                    });
                }
                return "done";
            });
            assertEquals("done", await(t));
        });
    }

    @Test
    void taskCancelledBeforeEnteringAShieldedScopeIsStillCancelledAfterIt() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = createTask(() -> {
                currentTask().cancel();
                try (var _ = shieldedScope()) {
                    sleep(Duration.ofMillis(10));
                    events.add("shielded");
                }
                sleep(Duration.ZERO);
                events.add("not cancelled");
                return "done";
            });
            assertThrows(CancelledError.class, () -> await(t));
            assertEquals(List.of("shielded"), events);
        });
    }

    @Test
    void closingAShieldedScopeOutOfOrderIsRefused() {
        AsyncTesting.runVirtual(() -> {
            CancelScope outer = shieldedScope();
            CancelScope inner = shieldedScope();
            assertThrows(IllegalStateException.class, outer::close);
            inner.close();
            outer.close();
            outer.close(); // closing a finished scope does nothing
        });
    }

    @Test
    void moveOnAfterAndShieldedScopeMustBeUsedInsideATask() {
        AsyncTesting.runVirtual(() -> {
            List<Throwable> errors = new ArrayList<>();
            getRunningLoop().callSoon(() -> {
                try {
                    moveOnAfter(MS10, s -> {
                    });
                } catch (Throwable e) {
                    errors.add(e);
                }
                try {
                    shieldedScope().close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            sleep(Duration.ofMillis(5));
            assertEquals(2, errors.size());
            assertInstanceOf(IllegalStateException.class, errors.get(0));
            assertInstanceOf(IllegalStateException.class, errors.get(1));
        });
    }
}
