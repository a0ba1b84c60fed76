package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** TaskGroup in its try-with-resources and lambda forms (ASYNCIO-SEMANTICS J). */
class TaskGroupTest {

    private static long nowMillis() {
        return getRunningLoop().time() / 1_000_000L;
    }

    private static <T> T sleepThen(long millis, T value) {
        sleep(Duration.ofMillis(millis));
        return value;
    }

    private static String failAfter(long millis, RuntimeException error) {
        sleep(Duration.ofMillis(millis));
        throw error;
    }

    // ------------------------------------------------------------------ waiting for children

    @Test
    void closeWaitsForAllChildren() {
        AsyncTesting.runVirtual(() -> {
            Task<String> a;
            Task<String> b;
            try (TaskGroup tg = taskGroup()) {
                a = tg.createTask(() -> sleepThen(10, "a"));
                b = tg.createTask(() -> sleepThen(30, "b"));
            }
            assertTrue(a.isDone() && b.isDone());
            assertEquals("a", a.result());
            assertEquals("b", b.result());
        });
    }

    @Test
    void childrenRunConcurrently() {
        AsyncTesting.runVirtual(() -> {
            long start = nowMillis();
            try (TaskGroup tg = taskGroup()) {
                for (int i = 0; i < 5; i++) {
                    tg.createTask(() -> sleepThen(40, "x"));
                }
            }
            assertEquals(40, nowMillis() - start, "concurrently: the time of one child");
        });
    }

    @Test
    void lambdaFormReturnsTheBodyResultOnceEveryChildHasFinished() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            String r = taskGroup(tg -> {
                children.add(tg.createTask(() -> sleepThen(20, "child")));
                return "body";
            });
            assertEquals("body", r);
            assertEquals("child", children.get(0).result());
        });
    }

    @Test
    void closeWaitsForChildrenCreatedByChildrenWhileItWaits() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> grandchildren = new ArrayList<>();
            try (TaskGroup tg = taskGroup()) {
                tg.createTask(() -> {
                    sleep(Duration.ofMillis(10));
                    grandchildren.add(tg.createTask(() -> sleepThen(30, "grandchild")));
                });
            }
            assertEquals(1, grandchildren.size());
            assertEquals("grandchild", grandchildren.get(0).result());
        });
    }

    @Test
    void childrenCanBeNamed() {
        AsyncTesting.runVirtual(() -> {
            try (TaskGroup tg = taskGroup()) {
                Task<String> a = tg.createTask("worker-a", () -> sleepThen(1, "a"));
                Task<Void> b = tg.createTask("worker-b", () -> sleep(Duration.ofMillis(1)));
                assertEquals("worker-a", a.getName());
                assertEquals("worker-b", b.getName());
            }
        });
    }

    @Test
    void groupMustBeOpenedInsideATask() {
        AsyncTesting.runVirtual(() -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            getRunningLoop().callSoon(() -> {
                try {
                    taskGroup().close();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            sleep(Duration.ofMillis(5));
            assertInstanceOf(IllegalStateException.class, error.get());
        });
    }

    // ------------------------------------------------------------------ failures

    @Test
    void firstChildFailureCancelsSiblingsAndInterruptsTheBody() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            List<Task<String>> children = new ArrayList<>();
            List<String> events = new ArrayList<>();
            long start = nowMillis();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> failAfter(10, boom)));
                    children.add(tg.createTask(() -> sleepThen(1000, "sibling")));
                    sleep(Duration.ofMillis(1000));
                    events.add("body not interrupted");
                }
            });
            assertEquals(10, nowMillis() - start, "the failure ended the group at once");
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(Arrays.asList(e.getSuppressed()).contains(boom));
            assertTrue(children.get(1).isCancelled());
            assertEquals(List.of(), events);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void childFailureWhileCloseWaitsIsRaisedByClose() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            List<Task<String>> children = new ArrayList<>();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> failAfter(10, boom)));
                    children.add(tg.createTask(() -> sleepThen(1000, "sibling")));
                }
            });
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(children.get(1).isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void groupExceptionListsEveryChildFailureInOrder() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException first = new IllegalStateException("first");
            IllegalArgumentException second = new IllegalArgumentException("failed while cancelled");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> failAfter(10, first));
                    tg.createTask(() -> {
                        try {
                            sleep(Duration.ofMillis(1000));
                        } catch (CancelledError c) {
                            throw second;
                        }
                    });
                    tg.createTask(() -> sleepThen(1000, "cancelled quietly"));
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertEquals(List.of(first, second), e.exceptions(), "the instance raised first also sees later failures");
            List<Throwable> suppressed = Arrays.asList(e.getSuppressed());
            assertTrue(suppressed.contains(first) && suppressed.contains(second));
            assertTrue(e.getMessage().contains("2 sub-exceptions"), e.getMessage());
        });
    }

    @Test
    void closeWaitsForCancelledChildrenToFinishTheirCleanup() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> failAfter(5, new IllegalStateException("boom")));
                    tg.createTask(() -> {
                        try {
                            sleep(Duration.ofMillis(1000));
                        } finally {
                            try (var _ = Asyncio.shieldedScope()) {
                                sleep(Duration.ofMillis(30));
                            }
                            events.add("cleanup done");
                        }
                    });
                }
            });
            assertEquals(List.of("cleanup done"), events);
        });
    }

    @Test
    void bodyThatSwallowsTheGroupFailureIsInterruptedAgainAtItsNextSuspension() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            List<String> events = new ArrayList<>();
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> failAfter(5, boom));
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (TaskGroupException e) {
                        events.add("swallowed");
                    }
                    sleep(Duration.ofMillis(1000));
                    events.add("not interrupted again");
                }
            });
            assertEquals(List.of("swallowed"), events);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void createTaskWhileShuttingDownIsRefused() {
        AsyncTesting.runVirtual(() -> {
            List<Throwable> refused = new ArrayList<>();
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> failAfter(5, new IllegalStateException("boom")));
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (TaskGroupException e) {
                        try {
                            tg.createTask(() -> sleepThen(1, "late"));
                        } catch (IllegalStateException r) {
                            refused.add(r);
                        }
                    }
                }
            });
            assertEquals(1, refused.size());
            assertTrue(refused.get(0).getMessage().contains("shutting down"), refused.get(0).getMessage());
        });
    }

    @Test
    void createTaskAfterTheGroupFinishedIsRefused() {
        AsyncTesting.runVirtual(() -> {
            TaskGroup group;
            try (TaskGroup tg = taskGroup()) {
                group = tg;
                tg.createTask(() -> sleepThen(1, "x"));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> group.createTask(() -> sleepThen(1, "late")));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
            assertThrows(IllegalStateException.class, group::close);
        });
    }

    @Test
    void childCancelledIndividuallyIsNotAFailure() {
        AsyncTesting.runVirtual(() -> {
            Task<String> victim;
            Task<String> other;
            try (TaskGroup tg = taskGroup()) {
                victim = tg.createTask(() -> sleepThen(1000, "victim"));
                other = tg.createTask(() -> sleepThen(20, "other"));
                sleep(Duration.ofMillis(5));
                victim.cancel();
            }
            assertTrue(victim.isCancelled());
            assertEquals("other", other.result());
        });
    }

    @Test
    void cancelledChildrenAreNotListedAsFailures() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                tg.createTask(() -> sleepThen(1000, "a"));
                tg.createTask(() -> sleepThen(1000, "b"));
                tg.createTask(() -> failAfter(5, boom));
                return null;
            }));
            assertEquals(List.of(boom), e.exceptions());
        });
    }

    // ------------------------------------------------------------------ body exceptions: the two forms differ

    @Test
    void lambdaFormBodyExceptionCancelsChildrenAndIsIncludedInTheGroup() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException bodyError = new IllegalStateException("body");
            List<Task<String>> children = new ArrayList<>();
            long start = nowMillis();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                children.add(tg.createTask(() -> sleepThen(1000, "child")));
                sleep(Duration.ofMillis(5));
                throw bodyError;
            }));
            assertTrue(nowMillis() - start < 500);
            assertEquals(List.of(bodyError), e.exceptions());
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void lambdaFormJoinsTheBodyExceptionWithChildFailures() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException bodyError = new IllegalStateException("body");
            IllegalArgumentException childError = new IllegalArgumentException("child");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                tg.createTask(() -> {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (CancelledError c) {
                        throw childError;
                    }
                });
                sleep(Duration.ofMillis(5));
                throw bodyError;
            }));
            assertEquals(List.of(bodyError, childError), e.exceptions());
        });
    }

    @Test
    void tryWithResourcesBodyExceptionDoesNotCancelChildren() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException bodyError = new IllegalStateException("body");
            List<Task<String>> children = new ArrayList<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> sleepThen(30, "child")));
                    sleep(Duration.ofMillis(5));
                    throw bodyError;
                }
            });
            assertSame(bodyError, e, "the body's exception propagates once close() has waited");
            assertEquals("child", children.get(0).result(), "close() could not see the exception");
        });
    }

    // ------------------------------------------------------------------ external cancellation

    @Test
    void externalCancelCancelsChildrenAndPropagatesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            Task<String> parent = createTask(() -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> sleepThen(1000, "a")));
                    children.add(tg.createTask(() -> sleepThen(1000, "b")));
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            sleep(Duration.ofMillis(10));
            parent.cancel();
            assertThrows(CancelledError.class, () -> await(parent));
            assertTrue(parent.isCancelled());
            for (Task<String> c : children) {
                assertTrue(c.isCancelled());
            }
        });
    }

    @Test
    void externalCancelWhileCloseWaitsCancelsChildrenAndPropagatesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            List<String> events = new ArrayList<>();
            Future<Void> running = Asyncio.createFuture();
            Task<String> parent = createTask(() -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> {
                        running.setResult(null);
                        try {
                            return sleepThen(1000, "a");
                        } finally {
                            try (var _ = Asyncio.shieldedScope()) {
                                sleep(Duration.ofMillis(20));
                            }
                            events.add("child cleaned up");
                        }
                    }));
                }
                return "not cancelled";
            });
            await(running); // the child runs: its code sees the cancellation
            parent.cancel();
            assertThrows(CancelledError.class, () -> await(parent));
            assertTrue(parent.isCancelled());
            assertTrue(children.get(0).isCancelled());
            assertEquals(List.of("child cleaned up"), events, "the parent ended after its children");
        });
    }

    @Test
    void externalCancelOfTheLambdaFormCancelsChildrenAndPropagatesCancelledError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            Task<String> parent = createTask(() -> taskGroup(tg -> {
                children.add(tg.createTask(() -> sleepThen(1000, "a")));
                sleep(Duration.ofMillis(1000));
                return "not cancelled";
            }));
            sleep(Duration.ofMillis(10));
            parent.cancel();
            assertThrows(CancelledError.class, () -> await(parent));
            assertTrue(parent.isCancelled());
            assertTrue(children.get(0).isCancelled());
        });
    }

    @Test
    void lambdaFormExternalCancelWithFailingChildrenRaisesTheGroupAndKeepsTheCancellationPending() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException childError = new IllegalStateException("failed while cancelled");
            List<String> events = new ArrayList<>();
            Future<Void> running = Asyncio.createFuture();
            Task<String> parent = createTask(() -> {
                try {
                    taskGroup(tg -> {
                        tg.createTask(() -> {
                            running.setResult(null);
                            try {
                                sleep(Duration.ofMillis(1000));
                            } catch (CancelledError c) {
                                throw childError;
                            }
                        });
                        sleep(Duration.ofMillis(1000));
                        return null;
                    });
                } catch (TaskGroupException e) {
                    assertEquals(List.of(childError), e.exceptions());
                    events.add("group failed");
                }
                sleep(Duration.ofMillis(1000)); // the outer cancellation is not lost
                events.add("cancellation lost");
                return "not cancelled";
            });
            await(running); // the child runs: its code sees the cancellation
            parent.cancel();
            assertThrows(CancelledError.class, () -> await(parent));
            assertEquals(List.of("group failed"), events);
            assertTrue(parent.isCancelled());
        });
    }

    @Test
    void tryWithResourcesExternalCancelWithFailingChildrenPropagatesCancelledErrorCarryingTheFailures() {
        // close() cannot replace the CancelledError leaving the block: the failures ride on it as suppressed
        AsyncTesting.runVirtual(() -> {
            IllegalStateException childError = new IllegalStateException("failed while cancelled");
            Future<Void> running = Asyncio.createFuture();
            Task<String> parent = createTask(() -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> {
                        running.setResult(null);
                        try {
                            sleep(Duration.ofMillis(1000));
                        } catch (CancelledError c) {
                            throw childError;
                        }
                    });
                    sleep(Duration.ofMillis(1000));
                }
                return "not cancelled";
            });
            await(running); // the child runs: its code sees the cancellation
            parent.cancel();
            CancelledError e = assertThrows(CancelledError.class, () -> await(parent));
            assertTrue(parent.isCancelled());
            boolean carried = Arrays.stream(e.getSuppressed()).anyMatch(x -> x instanceof TaskGroupException g
                    && g.exceptions().contains(childError));
            assertTrue(carried, "the child failure is not lost: " + Arrays.toString(e.getSuppressed()));
        });
    }

    @Test
    void cancellingCountIsBackToZeroAfterTheGroupFailed() {
        AsyncTesting.runVirtual(() -> {
            Task<?> me = currentTask();
            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> failAfter(5, new IllegalStateException("a")));
                    sleep(Duration.ofMillis(1000));
                }
            });
            assertEquals(0, me.cancelling());
            assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                tg.createTask(() -> failAfter(5, new IllegalStateException("b")));
                sleep(Duration.ofMillis(1000));
                return null;
            }));
            assertEquals(0, me.cancelling());
            sleep(Duration.ofMillis(1)); // not cancelled
        });
    }

    @Test
    void nestedGroupsFailingTogetherKeepCountsCorrect() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException outerError = new IllegalStateException("outer child");
            IllegalArgumentException innerError = new IllegalArgumentException("inner child");
            Future<Void> go = Asyncio.createFuture(); // both children fail in the same loop iteration
            getRunningLoop().callLater(java.time.Duration.ofMillis(10), () -> go.setResult(null));
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup outer = taskGroup()) {
                    outer.createTask(() -> {
                        await(go);
                        throw outerError;
                    });
                    try (TaskGroup inner = taskGroup()) {
                        inner.createTask(() -> {
                            await(go);
                            throw innerError;
                        });
                        sleep(Duration.ofMillis(1000));
                    }
                }
            });
            // as asyncio: the outer group raises [outer child, group[inner child]]
            assertTrue(e.exceptions().contains(outerError), "the outer group's failure leaves the block: "
                    + e.exceptions());
            boolean innerSeen = e.exceptions().contains(innerError)
                    || e.exceptions().stream().anyMatch(x -> x instanceof TaskGroupException g
                            && g.exceptions().contains(innerError));
            assertTrue(innerSeen, "the inner group's failure is not lost: " + e.exceptions());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1)); // not cancelled
        });
    }

    @Test
    void nestedLambdaGroupsFailingTogetherReportBothFailures() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException outerError = new IllegalStateException("outer child");
            IllegalArgumentException innerError = new IllegalArgumentException("inner child");
            Future<Void> go = Asyncio.createFuture();
            getRunningLoop().callLater(java.time.Duration.ofMillis(10), () -> go.setResult(null));
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(outer -> {
                outer.createTask(() -> {
                    await(go);
                    throw outerError;
                });
                return taskGroup(inner -> {
                    inner.createTask(() -> {
                        await(go);
                        throw innerError;
                    });
                    sleep(Duration.ofMillis(1000));
                    return null;
                });
            }));
            assertEquals(2, e.exceptions().size(), e.exceptions().toString());
            assertSame(outerError, e.exceptions().get(0));
            TaskGroupException nested = assertInstanceOf(TaskGroupException.class, e.exceptions().get(1));
            assertEquals(List.of(innerError), nested.exceptions());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1)); // not cancelled
        });
    }

    // ------------------------------------------------------------------ TaskGroup.cancel() (asyncio 3.15)

    @Test
    void cancelAfterTheBodyFinishedExitsQuietly() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            try (TaskGroup tg = taskGroup()) {
                children.add(tg.createTask(() -> sleepThen(1000, "long")));
                children.add(tg.createTask(() -> sleepThen(1000, "long too")));
                getRunningLoop().callLater(java.time.Duration.ofMillis(10), tg::cancel);
            }
            assertTrue(children.get(0).isCancelled());
            assertTrue(children.get(1).isCancelled());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1)); // not cancelled
        });
    }

    @Test
    void cancelByAChildAfterTheBodyFinishedExitsQuietly() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            try (TaskGroup tg = taskGroup()) {
                children.add(tg.createTask(() -> sleepThen(1000, "long")));
                children.add(tg.createTask(() -> {
                    sleep(Duration.ofMillis(10));
                    tg.cancel(); // cancels the caller too, as asyncio does
                    return "canceller";
                }));
            }
            assertTrue(children.get(0).isCancelled());
            assertTrue(children.get(1).isDone());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1)); // not cancelled
        });
    }

    @Test
    void cancelWhileTheBodyIsSuspendedLeavesTheBlockWithCancelledError() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            List<String> events = new ArrayList<>();
            assertThrows(CancelledError.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    children.add(tg.createTask(() -> sleepThen(1000, "long")));
                    tg.createTask(() -> {
                        sleep(Duration.ofMillis(10));
                        tg.cancel();
                    });
                    sleep(Duration.ofMillis(1000));
                    events.add("body not interrupted");
                }
            });
            assertEquals(List.of(), events);
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
            assertFalse(currentTask().isCancelled());
            sleep(Duration.ofMillis(1)); // the task itself is not cancelled
        });
    }

    @Test
    void cancelFromTheBodyInterruptsItsNextSuspension() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(CancelledError.class, () -> {
                try (TaskGroup tg = taskGroup()) {
                    tg.createTask(() -> sleepThen(1000, "long"));
                    tg.cancel();
                    events.add("runs on until the next suspension");
                    sleep(Duration.ZERO);
                    events.add("not interrupted");
                }
            });
            assertEquals(List.of("runs on until the next suspension"), events);
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void lambdaFormCancelExitsQuietlyEvenWhileTheBodyRuns() {
        AsyncTesting.runVirtual(() -> {
            List<Task<String>> children = new ArrayList<>();
            List<String> events = new ArrayList<>();
            long start = nowMillis();
            String r = taskGroup(tg -> {
                children.add(tg.createTask(() -> sleepThen(1000, "long")));
                tg.createTask(() -> {
                    sleep(Duration.ofMillis(10));
                    tg.cancel();
                });
                sleep(Duration.ofMillis(1000));
                events.add("body not interrupted");
                return "body result";
            });
            assertNull(r, "the interrupted body produced no result");
            assertTrue(nowMillis() - start < 500);
            assertEquals(List.of(), events);
            assertTrue(children.get(0).isCancelled());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ofMillis(1)); // the task itself is not cancelled
        });
    }

    @Test
    void lambdaBodyThatSwallowsTheGroupCancelIsInterruptedAgainAndTheGroupStillExitsQuietly() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            taskGroup(tg -> {
                tg.createTask(() -> sleepThen(1000, "long"));
                tg.cancel();
                try {
                    sleep(Duration.ofMillis(1000));
                } catch (CancelledError e) {
                    events.add("swallowed");
                }
                sleep(Duration.ofMillis(1000));
                events.add("not interrupted again");
                return null;
            });
            assertEquals(List.of("swallowed"), events);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void cancelStillRaisesWhenChildrenFailed() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException childError = new IllegalStateException("failed while cancelled");
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                tg.createTask(() -> {
                    try {
                        sleep(Duration.ofMillis(1000));
                    } catch (CancelledError c) {
                        throw childError;
                    }
                });
                sleep(Duration.ofMillis(5));
                tg.cancel();
                sleep(Duration.ofMillis(1000));
                return null;
            }));
            assertEquals(List.of(childError), e.exceptions());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void cancelRefusesNewChildrenIsIdempotentAndDoesNothingAfterExit() {
        AsyncTesting.runVirtual(() -> {
            TaskGroup group = null;
            try (TaskGroup tg = taskGroup()) {
                group = tg;
                tg.createTask(() -> sleepThen(1000, "long"));
                tg.createTask(() -> {
                    sleep(Duration.ofMillis(5));
                    tg.cancel();
                    tg.cancel();
                    try {
                        tg.createTask(() -> sleepThen(1, "late"));
                        fail("createTask after cancel() must be refused");
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
                    }
                });
            }
            group.cancel();
            sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void cancelBeforeAnyChildMakesTheLambdaBodyExitQuietlyAtItsFirstSuspension() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            taskGroup(tg -> {
                tg.cancel();
                events.add("before");
                sleep(Duration.ofMillis(1000));
                events.add("after");
                return null;
            });
            assertEquals(List.of("before"), events);
        });
    }

    // ------------------------------------------------------------------ eager children (D8)

    @Test
    void eagerChildFailingSynchronouslyStillCancelsSiblingsAndTheBody() {
        AsyncTesting.runVirtual(() -> {
            EventLoop loop = getRunningLoop();
            loop.setEagerTaskFactory(true);
            try {
                IllegalStateException boom = new IllegalStateException("sync failure");
                List<Task<String>> children = new ArrayList<>();
                List<String> events = new ArrayList<>();
                TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                    try (TaskGroup tg = taskGroup()) {
                        children.add(tg.createTask(() -> sleepThen(1000, "sibling")));
                        children.add(tg.createTask(() -> {
                            throw boom;
                        }));
                        assertTrue(children.get(1).isDone(), "the eager child finished synchronously");
                        sleep(Duration.ofMillis(1000));
                        events.add("body not interrupted");
                    }
                });
                assertEquals(List.of(boom), e.exceptions());
                assertTrue(children.get(0).isCancelled());
                assertEquals(List.of(), events);
            } finally {
                loop.setEagerTaskFactory(false);
            }
        });
    }

    // ------------------------------------------------------------------ outside cancellation meets a failing child

    /** A child that fails when it is cancelled: its cleanup throws. */
    private static Void failsWhenCancelled(RuntimeException error) {
        try {
            sleep(Duration.ofHours(1));
        } catch (CancelledError cancelled) {
            throw error;
        }
        return null;
    }

    @Test
    void withTryWithResourcesAnOutsideCancellationLeavesTheBlockAndCarriesTheGroupErrorAsSuppressed() {
        AsyncTesting.runVirtual(() -> {
            RuntimeException boom = new RuntimeException("boom");
            AtomicReference<Throwable> caughtInside = new AtomicReference<>();
            Task<Void> outer = createTask(() -> {
                try {
                    try (TaskGroup tg = taskGroup()) {
                        tg.createTask(() -> failsWhenCancelled(boom));
                        sleep(Duration.ofHours(1));
                    }
                } catch (TaskGroupException e) {
                    caughtInside.set(e); // not reached: the body's CancelledError leaves the block
                }
            });
            sleep(Duration.ofMillis(1));
            outer.cancel();
            CancelledError e = assertThrows(CancelledError.class, () -> await(outer));
            assertNull(caughtInside.get(), "a catch of TaskGroupException around the block does not see it");
            TaskGroupException group = assertInstanceOf(TaskGroupException.class, e.getSuppressed()[0],
                    "Java's try-with-resources attaches close()'s exception to the one leaving the block");
            assertEquals(List.of(boom), group.exceptions());
        });
    }

    @Test
    void withTheLambdaFormAnOutsideCancellationMeetingAFailingChildRaisesTheGroupErrorAsAsyncioDoes() {
        AsyncTesting.runVirtual(() -> {
            RuntimeException boom = new RuntimeException("boom");
            AtomicReference<Throwable> caught = new AtomicReference<>();
            Task<Void> outer = createTask(() -> {
                try {
                    Asyncio.taskGroup(tg -> {
                        tg.createTask(() -> failsWhenCancelled(boom));
                        sleep(Duration.ofHours(1));
                        return null;
                    });
                } catch (TaskGroupException e) {
                    caught.set(e); // asyncio: the ExceptionGroup wins; the cancellation stays pending
                }
                sleep(Duration.ZERO); // where the pending cancellation is delivered
            });
            sleep(Duration.ofMillis(1));
            outer.cancel();
            assertThrows(CancelledError.class, () -> await(outer));
            assertEquals(List.of(boom), ((TaskGroupException) caught.get()).exceptions());
        });
    }
}
