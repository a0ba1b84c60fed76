package io.asyncio4j;

import static io.asyncio4j.Asyncio.allTasks;
import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.newEventLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conformance of {@link Task}: scheduling, results, names, introspection, error reports (asyncio rules C, V, B8). */
@Timeout(10)
class TaskTest {

    // ------------------------------------------------------------------ C1, C4 scheduling

    @Test
    void createTaskDoesNotRunTheBodyBeforeTheCreatorSuspends() {
        AsyncTesting.runVirtual(() -> {
            AsyncTesting.Steps steps = new AsyncTesting.Steps();
            steps.expect(1);
            Task<Void> t = createTask(() -> steps.expect(3));
            steps.expect(2);
            await(t);
            steps.expect(4);
            steps.finish(4);
        });
    }

    @Test
    void tasksInterleaveOnlyAtSuspensionPointsInFifoOrder() {
        AsyncTesting.runVirtual(() -> {
            AsyncTesting.Steps steps = new AsyncTesting.Steps();
            Task<Void> a = createTask(() -> {
                steps.expect(1);
                sleep(Duration.ZERO);
                steps.expect(3);
                sleep(Duration.ZERO);
                steps.expect(5);
            });
            Task<Void> b = createTask(() -> {
                steps.expect(2);
                sleep(Duration.ZERO);
                steps.expect(4);
                sleep(Duration.ZERO);
                steps.expect(6);
            });
            await(gather(a, b));
            steps.finish(6);
        });
    }

    @Test
    void tasksStartInCreationOrder() {
        AsyncTesting.runVirtual(() -> {
            List<Integer> order = new ArrayList<>();
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                tasks.add(createTask(() -> order.add(n)));
            }
            await(gather(tasks));
            for (int i = 0; i < 50; i++) {
                assertEquals(i, order.get(i));
            }
        });
    }

    @Test
    void currentTaskIsTheTaskWhoseStepIsRunning() {
        AsyncTesting.runVirtual(() -> {
            Task<?> main = currentTask();
            AtomicReference<Task<?>> seen = new AtomicReference<>();
            Task<Void> child = createTask(() -> seen.set(currentTask()));
            await(child);
            assertSame(child, seen.get());
            assertSame(main, currentTask());
        });
    }

    @Test
    void tasksRunOnTheLoopOneAtATime() {
        AsyncTesting.runVirtual(() -> {
            int[] inside = {0};
            int[] maxInside = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(createTask(() -> {
                    for (int k = 0; k < 3; k++) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        for (int spin = 0; spin < 1000; spin++) {
                            Thread.onSpinWait();
                        }
                        inside[0]--;
                        sleep(Duration.ZERO);
                    }
                }));
            }
            await(gather(tasks));
            assertEquals(1, maxInside[0]);
        });
    }

    // ------------------------------------------------------------------ results and exceptions

    @Test
    void awaitReturnsTheResultOfTheTask() {
        assertEquals("hello", AsyncTesting.runVirtual(() -> await(createTask(() -> {
            sleep(Duration.ofMillis(1));
            return "hello";
        }))));
    }

    @Test
    void awaitThrowsTheVeryExceptionObjectTheTaskThrew() {
        AsyncTesting.runVirtual(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Task<Object> t = createTask(() -> {
                sleep(Duration.ofMillis(1));
                throw boom;
            });
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> await(t));
            assertSame(boom, thrown);
            assertSame(boom, t.exception());
            assertSame(boom, assertThrows(IllegalArgumentException.class, t::result));
        });
    }

    @Test
    void awaitThrowsACheckedExceptionOfTheTaskUnwrappedAndUndeclared() {
        AsyncTesting.runVirtual(() -> {
            IOException boom = new IOException("checked");
            Task<Object> t = createTask(() -> {
                throw boom;
            });
            Object caught = null;
            try {
                await(t); // declares no checked exception
            } catch (Exception e) {
                caught = e;
            }
            assertSame(boom, caught);
        });
    }

    @Test
    void errorThrownByATaskIsStoredAndRethrownToo() {
        AsyncTesting.runVirtual(() -> {
            StackOverflowError boom = new StackOverflowError("deep");
            Task<Object> t = createTask(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(StackOverflowError.class, () -> await(t)));
            assertFalse(t.isCancelled());
        });
    }

    @Test
    void pendingTaskResultThrowsInvalidStateError() {
        AsyncTesting.runVirtual(() -> {
            Future<Void> gate = createFuture();
            Task<Void> t = createTask(() -> await(gate));
            assertThrows(InvalidStateError.class, t::result);
            assertThrows(InvalidStateError.class, t::exception);
            gate.setResult(null);
            await(t);
            assertNull(t.result());
            assertNull(t.exception());
        });
    }

    @Test
    void taskSetResultAndSetExceptionThrowUnsupportedOperationException() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> "x");
            assertThrows(UnsupportedOperationException.class, () -> t.setResult("forced"));
            assertThrows(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()));
            assertEquals("x", await(t));
        });
    }

    @Test
    void taskAwaitingItselfThrowsIllegalStateException() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask(() -> {
                Task<?> me = currentTask();
                try {
                    await(me);
                    return "awaited itself";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            assertTrue(await(t).startsWith("Task cannot await on itself"), await(t));
        });
    }

    @Test
    void createTaskRejectsANullCoroutine() {
        AsyncTesting.runVirtual(() -> {
            assertThrows(NullPointerException.class, () -> createTask((java.util.concurrent.Callable<Object>) null));
            assertThrows(NullPointerException.class, () -> createTask((ThrowingRunnable) null));
        });
    }

    @Test
    void taskBelongsToTheLoopThatCreatedIt() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> t = createTask(() -> 1);
            assertSame(getRunningLoop(), t.getLoop());
            await(t);
        });
    }

    @Test
    void unreferencedTaskStillRunsToCompletion() {
        AsyncTesting.runVirtual(() -> {
            CompletableFuture<String> finished = new CompletableFuture<>();
            startFireAndForget(finished);
            for (int i = 0; i < 3; i++) {
                System.gc();
                sleep(Duration.ofMillis(5));
            }
            assertEquals("finished", await(finished));
        });
    }

    private static void startFireAndForget(CompletableFuture<String> finished) {
        createTask(() -> {
            sleep(Duration.ofMillis(30));
            finished.complete("finished");
        });
    }

    // ------------------------------------------------------------------ C3 names

    @Test
    void defaultNameIsTaskDashNumberFromAProcessWideCounter() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> first = createTask(() -> 1);
            Task<Integer> second = createTask(() -> 2);
            Pattern p = Pattern.compile("Task-(\\d+)");
            Matcher m1 = p.matcher(first.getName());
            Matcher m2 = p.matcher(second.getName());
            assertTrue(m1.matches(), first.getName());
            assertTrue(m2.matches(), second.getName());
            assertTrue(Long.parseLong(m2.group(1)) > Long.parseLong(m1.group(1)));
            await(gather(first, second));
        });
        long before = AsyncTesting.runVirtual(() -> taskNumber(createTask(() -> 1)));
        long after = AsyncTesting.runVirtual(() -> taskNumber(createTask(() -> 1)));
        assertTrue(after > before, "the counter restarted with a new loop");
    }

    private static long taskNumber(Task<?> t) {
        await(t);
        return Long.parseLong(t.getName().substring("Task-".length()));
    }

    @Test
    void givenNameIsUsedAndSetNameRenames() {
        AsyncTesting.runVirtual(() -> {
            Task<String> t = createTask("worker-7", () -> currentTask().getName());
            assertEquals("worker-7", t.getName());
            assertEquals("worker-7", await(t));
            t.setName("renamed");
            assertEquals("renamed", t.getName());
            Task<Void> v = createTask("void-worker", () -> sleep(Duration.ZERO));
            assertEquals("void-worker", v.getName());
            await(v);
        });
    }

    @Test
    void taskDescriptionShowsItsName() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> t = createTask("described", () -> 1);
            assertTrue(t.toString().contains("described"), t.toString());
            await(t);
        });
    }

    // ------------------------------------------------------------------ C18 stacks

    @Test
    void stackOfASuspendedTaskShowsWhereItWaits() {
        AsyncTesting.runVirtual(() -> {
            Future<Void> gate = createFuture();
            Task<Void> t = createTask(() -> parkedInHelper(gate));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            List<StackTraceElement> stack = t.getStack();
            assertTrue(stack.stream().anyMatch(e -> e.getMethodName().equals("parkedInHelper")), stack.toString());
            gate.setResult(null);
            await(t);
        });
    }

    private static void parkedInHelper(Future<Void> gate) {
        await(gate);
    }

    @Test
    void stackOfTheRunningTaskShowsTheCurrentFrames() {
        List<StackTraceElement> stack = AsyncTesting.runVirtual(TaskTest::ownStack);
        assertTrue(stack.stream().anyMatch(e -> e.getMethodName().equals("ownStack")), stack.toString());
    }

    private static List<StackTraceElement> ownStack() {
        return currentTask().getStack();
    }

    @Test
    void stackOfAFinishedOrCancelledTaskIsEmpty() {
        AsyncTesting.runVirtual(() -> {
            Task<Integer> ok = createTask(() -> 1);
            Task<Void> cancelled = createTask(() -> sleep(Duration.ofMillis(10_000)));
            assertEquals(List.of(), ok.getStack(), "a task that has not started has no stack");
            sleep(Duration.ZERO);
            cancelled.cancel();
            await(ok);
            assertThrows(CancelledError.class, () -> await(cancelled));
            assertEquals(List.of(), ok.getStack());
            assertEquals(List.of(), cancelled.getStack());
        });
    }

    @Test
    void stackOfAFailedTaskIsThatOfItsException() {
        AsyncTesting.runVirtual(() -> {
            Task<Object> t = createTask(() -> {
                throw new IllegalStateException("failed");
            });
            Throwable e = assertThrows(IllegalStateException.class, () -> await(t));
            assertEquals(List.of(e.getStackTrace()), t.getStack());
        });
    }

    @Test
    void printStackWritesTheNameAndFramesToStandardError() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.err;
        AsyncTesting.runVirtual(() -> {
            Future<Void> gate = createFuture();
            Task<Void> t = createTask("printed", () -> parkedInHelper(gate));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                t.printStack();
            } finally {
                System.setErr(original);
            }
            gate.setResult(null);
            await(t);
        });
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("printed"), printed);
        assertTrue(printed.contains("parkedInHelper"), printed);
    }

    // ------------------------------------------------------------------ V1 introspection

    @Test
    void allTasksListsTheTasksOfTheLoopThatAreNotDone() {
        AsyncTesting.runVirtual(() -> {
            Future<Void> gate = createFuture();
            Task<Void> waiting = createTask(() -> await(gate));
            Task<Integer> quick = createTask(() -> 1);
            sleep(Duration.ZERO);
            List<Task<?>> live = allTasks();
            assertTrue(live.contains(currentTask()), "the main task is live");
            assertTrue(live.contains(waiting));
            assertFalse(live.contains(quick), "a done task is not live");
            gate.setResult(null);
            await(waiting);
            assertFalse(allTasks().contains(waiting));
            assertEquals(List.of(currentTask()), allTasks());
        });
    }

    @Test
    void allTasksOutsideALoopThrows() {
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
    }

    // ------------------------------------------------------------------ misuse of await

    @Test
    void awaitFromAPlainCallbackThrowsIllegalStateExceptionNamingTheFix() {
        AsyncTesting.runVirtual(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> pending = createFuture();
            Future<Throwable> result = createFuture();
            loop.callSoon(() -> {
                try {
                    await(pending);
                    result.setResult(null);
                } catch (Throwable e) {
                    result.setResult(e);
                }
            });
            Throwable e = await(result);
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("createTask") || e.getMessage().contains("addDoneCallback"),
                    e.getMessage());
        });
    }

    @Test
    void awaitOutsideAnyLoopThrowsIllegalStateException() {
        EventLoop loop = newEventLoop();
        try {
            Future<String> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(f));
            assertTrue(e.getMessage().contains("Asyncio.run"), e.getMessage());
        } finally {
            loop.close();
        }
    }

    // ------------------------------------------------------------------ B8 / T4 unretrieved task exceptions

    @Test
    void unretrievedTaskExceptionIsReportedWhenTheLoopCloses() {
        IllegalStateException boom = new IllegalStateException("nobody looks at me");
        List<Task<?>> keep = new ArrayList<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            keep.add(createTask(() -> {
                throw boom;
            }));
            sleep(Duration.ofMillis(10));
        });
        assertEquals(1, reports.all().size(), reports.messages().toString());
        ExceptionContext c = reports.all().get(0);
        assertTrue(c.message().startsWith("Task exception was never retrieved"), c.message());
        assertSame(boom, c.exception());
        assertSame(keep.get(0), c.future());
        assertSame(keep.get(0), c.task());
    }

    @Test
    void retrievingATaskExceptionInAnyWayPreventsTheReport() {
        AsyncTesting.runVirtual(() -> {
            List<Task<Object>> failed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                failed.add(createTask(() -> {
                    throw new IOException("boom");
                }));
            }
            sleep(Duration.ofMillis(10));
            assertThrows(IOException.class, failed.get(0)::result);
            assertTrue(failed.get(1).exception() instanceof IOException);
            assertThrows(IOException.class, () -> await(failed.get(2)));
            assertThrows(java.util.concurrent.ExecutionException.class, failed.get(3)::get);
            assertThrows(java.util.concurrent.ExecutionException.class, () -> failed.get(4).get(1, TimeUnit.SECONDS));
        });
    }

    @Test
    void unretrievedTaskExceptionIsReportedWhenTheTaskIsCollected() {
        RuntimeException boom = new RuntimeException("collected unread");
        ExceptionContext c = AsyncTesting.runVirtual(() -> {
            CompletableFuture<ExceptionContext> report = new CompletableFuture<>();
            getRunningLoop().setExceptionHandler((loop, context) -> report.complete(context));
            startFailingTask(boom);
            sleep(Duration.ofMillis(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!report.isDone() && System.nanoTime() < deadline) {
                System.gc();
                sleep(Duration.ofMillis(20));
            }
            assertTrue(report.isDone(), "no report within 5 s of the task becoming unreachable");
            return report.get();
        });
        assertTrue(c.message().startsWith("Task exception was never retrieved"), c.message());
        assertSame(boom, c.exception());
    }

    private static void startFailingTask(RuntimeException boom) {
        createTask(() -> {
            throw boom;
        });
    }

    @Test
    void taskThatEndsWithAResultIsNeverReported() {
        AtomicBoolean ran = new AtomicBoolean();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            createTask(() -> {
                ran.set(true);
                return "unused";
            });
            sleep(Duration.ofMillis(5));
        });
        assertTrue(ran.get());
        assertEquals(List.of(), reports.messages());
    }
}
