package io.asyncio4j;

import static io.asyncio4j.Asyncio.allTasks;
import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createEagerTask;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.newEventLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/** Conformance of eager tasks: {@link Asyncio#createEagerTask} and the eager task factory (asyncio rules D). */
@Timeout(10)
class EagerTaskTest {

    @Test
    void eagerTaskRunsItsFirstStepBeforeCreateReturns() {
        AsyncTesting.runVirtual(() -> {
            AsyncTesting.Steps steps = new AsyncTesting.Steps();
            AtomicReference<Task<?>> inside = new AtomicReference<>();
            steps.expect(1);
            Task<Void> t = createEagerTask(() -> {
                steps.expect(2);
                inside.set(currentTask());
                sleep(Duration.ZERO);
                steps.expect(4);
                return null;
            });
            steps.expect(3);
            assertSame(t, inside.get(), "currentTask() in the eager step is the new task");
            await(t);
            steps.expect(5);
            steps.finish(5);
        });
    }

    @Test
    void eagerTaskThatFinishesWithoutSuspendingIsReturnedDoneAndIsNotLive() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createEagerTask(() -> "at once");
            assertTrue(t.isDone());
            assertEquals("at once", t.result());
            assertFalse(allTasks().contains(t));
        });
    }

    @Test
    void eagerTaskThatSuspendedIsLiveUntilItFinishes() {
        AsyncTesting.runVirtual(() -> {
            Future<Void> gate = createFuture();
            Task<Void> t = createEagerTask(() -> {
                await(gate);
                return null;
            });
            assertFalse(t.isDone());
            assertTrue(allTasks().contains(t));
            gate.setResult(null);
            await(t);
            assertFalse(allTasks().contains(t));
        });
    }

    @Test
    void synchronousExceptionOfAnEagerTaskIsStoredNotThrown() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("eager failure");
            Task<Object> t = createEagerTask(() -> {
                throw boom;
            });
            assertTrue(t.isDone());
            assertSame(boom, t.exception());
        });
    }

    @Test
    void cancelOfAnEagerlyCompletedTaskReturnsFalse() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> t = createEagerTask(() -> 7);
            assertFalse(t.cancel());
            assertEquals(7, t.result());
            assertEquals(0, t.cancelling());
        });
    }

    @Test
    void eagerStartWaitsUntilTheLoopRuns() {
        EventLoop loop = newEventLoop();
        try {
            AtomicBoolean ran = new AtomicBoolean();
            Task<String> t = loop.createEagerTask("not yet", () -> {
                ran.set(true);
                return "ran";
            });
            assertFalse(ran.get(), "the loop is not running: the task is scheduled normally");
            assertFalse(t.isDone());
            assertEquals("ran", loop.runUntilComplete(t));
        } finally {
            loop.close();
        }
    }

    @Test
    void eagerTaskCreatedFromAPlainCallbackRunsInsideThatCallback() {
        AsyncTesting.runVirtual(() -> {
            EventLoop loop = getRunningLoop();
            List<String> order = new ArrayList<>();
            Future<Task<String>> created = createFuture();
            loop.callSoon(() -> {
                Task<String> t = loop.createEagerTask(null, () -> {
                    order.add("eager step");
                    sleep(Duration.ZERO);
                    order.add("second step");
                    return "ok";
                });
                order.add("createTask returned");
                Task<String> finished = loop.createEagerTask(null, () -> "no suspension");
                order.add(finished.isDone() ? "finished at once" : "finished later");
                created.setResult(t);
            });
            Task<String> t = await(created);
            assertEquals("ok", await(t));
            assertEquals(List.of("eager step", "createTask returned", "finished at once", "second step"), order);
        });
    }

    @Test
    void eagerTaskFactoryMakesCreateTaskEager() {
        AsyncTesting.runVirtual(() -> {
            EventLoop loop = getRunningLoop();
            assertFalse(loop.isEagerTaskFactory());
            loop.setEagerTaskFactory(true);
            assertTrue(loop.isEagerTaskFactory());
            List<String> order = new ArrayList<>();
            Task<Boolean> viaAsyncio = createTask(() -> order.add("static createTask"));
            Task<Boolean> viaLoop = loop.createTask(() -> order.add("loop createTask"));
            order.add("creator");
            assertTrue(viaAsyncio.isDone());
            assertTrue(viaLoop.isDone());
            assertEquals(List.of("static createTask", "loop createTask", "creator"), order);
            loop.setEagerTaskFactory(false);
            Task<Boolean> lazy = createTask(() -> order.add("lazy"));
            assertFalse(lazy.isDone());
            await(lazy);
        });
    }

    @Test
    void eagerStepSeesTheNameGivenAtCreation() {
        AsyncTesting.runVirtual(() -> {
            assertEquals("eager-one", createEagerTask("eager-one", () -> currentTask().getName()).result());
            getRunningLoop().setEagerTaskFactory(true);
            assertEquals("factory-one", createTask("factory-one", () -> currentTask().getName()).result());
        });
    }

    @Test
    void gatherOfEagerlyFinishedTasksIsDoneAtCreation() {
        AsyncTesting.runVirtual(() -> {
            getRunningLoop().setEagerTaskFactory(true);
            Task<Integer> a = createTask(() -> 1);
            Task<Integer> b = createTask(() -> 2);
            Future<List<Integer>> g = gather(a, b);
            assertTrue(g.isDone(), "asyncio 3.12+: gather of done futures completes synchronously");
            assertEquals(List.of(1, 2), await(g));
        });
    }

    @Test
    void taskGroupWithAnEagerChildFailingSynchronouslyCancelsSiblingsAndInterruptsTheBody() {
        AsyncTesting.runVirtual(() -> {
            EventLoop loop = getRunningLoop();
            loop.setEagerTaskFactory(true);
            IllegalStateException boom = new IllegalStateException("eager child failed");
            List<String> events = new ArrayList<>();
            long t0 = loop.time();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(g -> {
                g.createTask(() -> {
                    try {
                        sleep(Duration.ofMillis(10_000));
                    } catch (CancelledError c) {
                        events.add("sibling cancelled");
                        throw c;
                    }
                });
                g.createTask(() -> {
                    throw boom;
                });
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (Throwable c) { // the group interrupts its body with a CancelledError or its errors
                    events.add("body interrupted");
                    throw c;
                }
                return null;
            }));
            assertEquals(List.of(boom), e.exceptions());
            assertTrue(events.contains("sibling cancelled"), events.toString());
            assertTrue(events.contains("body interrupted"), events.toString());
            assertTrue(loop.time() - t0 < TimeUnit.SECONDS.toNanos(5));
        });
    }
}
