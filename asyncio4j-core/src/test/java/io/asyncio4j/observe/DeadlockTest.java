package io.asyncio4j.observe;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Lock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Go's rule: a run whose tasks can never be woken fails with a report instead of hanging. */
@Timeout(30)
class DeadlockTest {

    @Test
    void twoTasksWaitingForEachOthersEventsFailTheRunWithTheWaiters() {
        DeadlockError e = assertThrows(DeadlockError.class, () -> Asyncio.run(() -> {
            Event aDone = new Event();
            Event bDone = new Event();
            Task<?> a = createTask("a", () -> {
                bDone.waitUntilSet();
                aDone.set();
            });
            Task<?> b = createTask("b", () -> {
                aDone.waitUntilSet();
                bDone.set();
            });
            await(a);
            await(b);
        }));
        String m = e.getMessage();
        assertTrue(m.startsWith("deadlock: all 3 tasks wait and nothing can wake one"), m);
        assertTrue(m.matches("(?s).*\n  #\\d+ a waits on <Event unset waiters=1>\n.*"), m);
        assertTrue(m.matches("(?s).*\n  #\\d+ b waits on <Event unset waiters=1>\n.*"), m);
        assertTrue(m.contains("twoTasksWaitingForEachOthersEvents"), "the stacks are in the report: " + m);
        LoopSnapshot s = e.snapshot();
        assertEquals(3, s.tasks().size());
        assertEquals(WaitKind.EVENT, s.taskNamed("a").orElseThrow().waitingOn().kind());
        assertEquals(WaitKind.TASK, s.tasks().getFirst().waitingOn().kind(), "the main task awaits a");
    }

    @Test
    void tasksAwaitingEachOtherAreReportedAsACycle() {
        DeadlockError e = assertThrows(DeadlockError.class, () -> Asyncio.run(() -> {
            AtomicReference<Task<?>> b = new AtomicReference<>();
            Future<Task<?>> bReady = createFuture();
            Task<?> a = createTask("a", () -> await(await(bReady)));
            b.set(createTask("b", () -> await(a)));
            bReady.setResult(b.get());
            await(a);
        }));
        assertTrue(e.getMessage().matches("(?s).*\ncycle: #\\d+ a waits on #\\d+ b waits on #\\d+ a\n.*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[cycle: awaited above]"), e.getMessage());
    }

    @Test
    void twoTasksTakingTwoLocksInOppositeOrderAreACycle() {
        DeadlockError e = assertThrows(DeadlockError.class, () -> Asyncio.run(() -> {
            Lock first = new Lock();
            Lock second = new Lock();
            Task<?> a = createTask("a", () -> {
                try (var _ = first.acquire()) {
                    sleep(Duration.ZERO);
                    try (var _ = second.acquire()) {
                        return;
                    }
                }
            });
            Task<?> b = createTask("b", () -> {
                try (var _ = second.acquire()) {
                    sleep(Duration.ZERO);
                    try (var _ = first.acquire()) {
                        return;
                    }
                }
            });
            await(a);
            await(b);
        }));
        assertTrue(e.getMessage().matches("(?s).*\ncycle: #\\d+ a waits on #\\d+ b waits on #\\d+ a\n.*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("<Lock locked waiters=1> held by #"), e.getMessage());
    }

    @Test
    void aThreadThatCallsInWithinTheGraceIsNoDeadlock() {
        String r = Asyncio.run(() -> {
            Future<String> f = createFuture();
            EventLoop loop = getRunningLoop();
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    return;
                }
                loop.callSoonThreadsafe(() -> f.setResult("called in"));
            });
            return await(f);
        });
        assertEquals("called in", r);
    }

    @Test
    void executorCallsAndCompletableFuturesLongerThanTheGraceAreNoDeadlock() {
        String r = Asyncio.run(() -> {
            String slow = toThread(() -> {
                Thread.sleep(1300);
                return "thread";
            });
            CompletableFuture<String> cf = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(1300);
                } catch (InterruptedException ignored) {
                    return;
                }
                cf.complete("future");
            });
            return slow + " " + await(cf);
        });
        assertEquals("thread future", r);
    }

    @Test
    void aTaskBlockedInThreadSleepIsNoDeadlock() {
        // fast driver: the task is off the loop in a JDK call the JDK will end; compat: it holds the loop
        Asyncio.run(() -> await(createTask(() -> Thread.sleep(1300))));
    }
}
