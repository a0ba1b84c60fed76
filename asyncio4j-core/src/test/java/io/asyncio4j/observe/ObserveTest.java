package io.asyncio4j.observe;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Lock;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Testing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshots, their text formats and call graphs, on known programs. */
class ObserveTest {

    /** The tree without the frames (their line numbers move with this file), ids replaced by names. */
    private static String shape(LoopSnapshot s) {
        String tree = s.formatTree().replaceAll(" at [^\\n]*", "");
        for (TaskInfo t : s.tasks()) {
            tree = tree.replace("#" + t.id() + " " + t.name(), t.name());
        }
        return tree.substring(tree.indexOf('\n') + 1);
    }

    private static long id(LoopSnapshot s, String name) {
        return s.taskNamed(name).orElseThrow().id();
    }

    @AsyncioTest(virtualClock = true)
    void threeNestedGathersPrintAsATree() {
        Task<?> outer = createTask("outer", () -> {
            Task<?> a = createTask("a", () -> sleep(Duration.ofSeconds(1)));
            Task<?> middle = createTask("middle", () -> {
                Task<?> b = createTask("b", () -> sleep(Duration.ofSeconds(2)));
                Task<?> inner = createTask("inner", () -> {
                    Task<?> c = createTask("c", () -> sleep(Duration.ofSeconds(3)));
                    Task<?> d = createTask("d", () -> sleep(Duration.ofSeconds(4)));
                    return await(gather(c, d));
                });
                return await(gather(b, inner));
            });
            return await(gather(a, middle));
        });
        Testing.waitAllTasksBlocked();
        LoopSnapshot s = Observe.snapshot();
        String main = s.tasks().getFirst().name();
        assertEquals("""
                ├── %s (running)
                └── outer (waiting: gather of 2 (a, middle))
                    ├── a (waiting: sleep, 1.000 s left)
                    └── middle (waiting: gather of 2 (b, inner))
                        ├── b (waiting: sleep, 2.000 s left)
                        └── inner (waiting: gather of 2 (c, d))
                            ├── c (waiting: sleep, 3.000 s left)
                            └── d (waiting: sleep, 4.000 s left)
                """.formatted(main), shape(s));
        TaskInfo c = s.taskNamed("c").orElseThrow();
        assertEquals(TaskState.WAITING, c.state());
        assertEquals(WaitKind.SLEEP, c.waitingOn().kind());
        assertEquals(List.of(id(s, "inner")), c.awaitedBy());
        assertEquals(List.of(id(s, "c"), id(s, "d")), s.taskNamed("inner").orElseThrow().waitingOn().taskIds());
        assertEquals("io.asyncio4j.Asyncio.sleep", c.topFrame().getClassName() + "." + c.topFrame().getMethodName());
        assertTrue(c.stack().get(1).getMethodName().startsWith("lambda$threeNestedGathers"), c.stack().toString());
        await(outer);
    }

    @AsyncioTest
    void aTaskWaitingOnALockNamesItsHolder() {
        Lock lock = new Lock();
        Event release = new Event();
        Task<?> holder = createTask("holder", () -> {
            try (var _ = lock.acquire()) {
                release.waitUntilSet();
            }
        });
        Task<?> waiter = createTask("waiter", () -> {
            try (var _ = lock.acquire()) {
                return;
            }
        });
        Testing.waitAllTasksBlocked();
        LoopSnapshot s = Observe.snapshot();
        TaskInfo w = s.taskNamed("waiter").orElseThrow();
        assertEquals(WaitKind.LOCK, w.waitingOn().kind());
        assertEquals("<Lock locked waiters=1> held by #" + id(s, "holder") + " holder", w.waitingOn().description());
        assertEquals(List.of(id(s, "holder")), w.waitingOn().taskIds());
        TaskInfo h = s.taskNamed("holder").orElseThrow();
        assertEquals(WaitKind.EVENT, h.waitingOn().kind());
        assertEquals("<Event unset waiters=1>", h.waitingOn().description());
        // the table: one line per task, in creation order
        String table = s.formatTable();
        assertTrue(table.startsWith("loop "), table);
        String[] lines = table.split("\n");
        assertEquals(2 + 3, lines.length, table);
        assertTrue(lines[1].matches("id +name +state +waiting on +awaited by +at"), lines[1]);
        assertTrue(lines[3].matches("#\\d+ +holder +waiting +<Event unset waiters=1> +- +io.asyncio4j.observe.ObserveTest.*"), lines[3]);
        assertTrue(lines[4].matches("#\\d+ +waiter +waiting +<Lock locked waiters=1> held by #\\d+ holder +- +"
                + "io.asyncio4j.observe.ObserveTest.lambda.*"), lines[4]);
        release.set();
        await(holder);
        await(waiter);
    }

    @AsyncioTest
    void queuesTaskGroupsAndFuturesAreNamed() {
        Queue<String> q = new Queue<>(1);
        Future<String> f = createFuture();
        Task<?> parent = createTask("parent", () -> {
            try (TaskGroup tg = taskGroup()) {
                tg.createTask("getter", () -> q.get());
                tg.createTask("futurist", () -> await(f));
            }
        });
        Testing.waitAllTasksBlocked();
        LoopSnapshot s = Observe.snapshot();
        TaskInfo p = s.taskNamed("parent").orElseThrow();
        assertEquals(WaitKind.TASK_GROUP, p.waitingOn().kind());
        assertEquals(List.of(id(s, "getter"), id(s, "futurist")), p.waitingOn().taskIds());
        assertEquals(List.of(p.id()), s.taskNamed("getter").orElseThrow().awaitedBy());
        assertEquals(WaitKind.QUEUE, s.taskNamed("getter").orElseThrow().waitingOn().kind());
        assertEquals("<Queue maxsize=1 qsize=0 getters=1>", s.taskNamed("getter").orElseThrow().waitingOn().description());
        assertEquals(WaitKind.FUTURE, s.taskNamed("futurist").orElseThrow().waitingOn().kind());
        assertTrue(s.formatStacks().contains("futurist (waiting: a future)"), s.formatStacks());
        q.putNowait("x");
        f.setResult("y");
        await(parent);
    }

    @AsyncioTest
    void aTaskBlockedInThreadSleepIsBlockedInAJdkCall() {
        assumeTrue(getRunningLoop().toString().contains("driver=fast"),
                "in compatibility mode a task in Thread.sleep holds the loop: nothing else runs to look");
        Task<?> sleeper = createTask("sleeper", () -> Thread.sleep(300));
        sleep(Duration.ofMillis(50));
        TaskInfo t = Observe.snapshot().taskNamed("sleeper").orElseThrow();
        assertEquals(TaskState.BLOCKED, t.state());
        assertEquals(new WaitInfo(WaitKind.JDK_CALL, "Thread.sleep", List.of()), t.waitingOn());
        await(sleeper);
    }

    @AsyncioTest
    void aCallGraphGoesUpToTheTasksNobodyAwaits() {
        Event go = new Event();
        Task<?> leaf = createTask("leaf", () -> go.waitUntilSet());
        Task<?> mid = createTask("mid", () -> await(gather(leaf)));
        Task<?> top = createTask("top", () -> await(mid));
        Testing.waitAllTasksBlocked();
        CallGraph g = Observe.captureCallGraph(leaf);
        assertEquals("leaf", g.name());
        assertEquals(1, g.awaitedBy().size());
        assertEquals("mid", g.awaitedBy().getFirst().name());
        assertEquals("top", g.awaitedBy().getFirst().awaitedBy().getFirst().name());
        assertTrue(g.awaitedBy().getFirst().awaitedBy().getFirst().awaitedBy().isEmpty());
        String text = g.format();
        assertTrue(text.startsWith("* leaf\n  + Call stack:\n  |   at "), text);
        assertTrue(text.contains("\n  + Awaited by:\n     * mid\n"), text);
        assertTrue(text.contains("\n       + Awaited by:\n          * top\n"), text);
        go.set();
        await(top);
    }

    @AsyncioTest
    void theCurrentTasksCallGraphHasItsOwnFrames() {
        CallGraph g = Observe.captureCallGraph();
        assertEquals("theCurrentTasksCallGraphHasItsOwnFrames", g.callStack().getFirst().getMethodName(),
                g.callStack().toString());
    }

    @Test
    void aSnapshotFromAnotherThreadIsTakenOnTheLoop() throws Exception {
        EventLoop loop = io.asyncio4j.Asyncio.newEventLoop();
        Thread runner = Thread.ofPlatform().name("asyncio4j-test-observed").start(() -> loop.runUntilComplete(
                loop.createTask("sleepy", () -> sleep(Duration.ofMillis(400)))));
        try {
            LoopSnapshot s = null;
            for (int i = 0; i < 100 && (s == null || s.tasks().isEmpty() || s.tasks().getFirst().state() != TaskState.WAITING); i++) {
                s = Observe.snapshot(loop).get(5, TimeUnit.SECONDS);
            }
            assertTrue(Observe.openLoops().contains(loop));
            assertEquals("asyncio4j-test-observed", s.loop());
            assertEquals(WaitKind.SLEEP, s.taskNamed("sleepy").orElseThrow().waitingOn().kind());
            assertEquals(1, s.statistics().tasksAlive());
        } finally {
            runner.join();
            loop.close();
        }
        assertTrue(!Observe.openLoops().contains(loop));
        var closed = Observe.snapshot(loop);
        assertThrows(java.util.concurrent.ExecutionException.class, closed::get);
    }

    @AsyncioTest
    void captureCallGraphRefusesAnotherThread() throws Exception {
        Future<String> f = createFuture();
        String error = io.asyncio4j.Asyncio.toThread(() -> {
            try {
                Observe.captureCallGraph(f);
                return "no error";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertTrue(error.contains("Observe.snapshot(loop)"), error);
        f.setResult("done");
    }
}
