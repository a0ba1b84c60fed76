package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.AsyncTesting.Steps;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Condition: asyncio's rules L7 to L10 and L16, and every cancellation race of a wait. A test that
 * hangs (a lost wake-up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class ConditionTest {

    /**
     * Starts a task that acquires the condition's lock, waits once, and records its name, whether
     * it held the lock on return, and its name with "!" if the wait threw.
     */
    private static Task<Void> waiter(Condition cond, String name, List<String> log) {
        return createTask(name, () -> {
            try (var _ = cond.acquire()) {
                try {
                    cond.waitNotified();
                } catch (Throwable e) {
                    log.add(name + "!" + (cond.locked() ? "" : " (lock not held)"));
                    throw e;
                }
                log.add(name + (cond.locked() ? "" : " (lock not held)"));
            }
        });
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void waitingWithoutTheLockThrows() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::waitNotified);
            assertTrue(e.getMessage().startsWith("cannot wait on un-acquired lock"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> cond.waitFor(() -> true));
            assertTrue(e.getMessage().startsWith("cannot wait on un-acquired lock"), e.getMessage());
        });
    }

    @Test
    void waitingWhileAnotherTaskHoldsTheLockThrows() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<Void> other = createTask(cond::waitNotified);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(other));
            assertTrue(e.getMessage().startsWith("cannot wait on un-acquired lock: it is held by"), e.getMessage());
            assertTrue(cond.locked(), "the lock of the holder was not released");
            cond.release();
        });
    }

    @Test
    void notifyingWithoutTheLockThrows() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            for (Runnable notify : List.<Runnable>of(cond::notifyOne, () -> cond.notifyWaiters(2),
                    cond::notifyAllWaiters)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, notify::run);
                assertTrue(e.getMessage().startsWith("cannot notify on un-acquired lock"), e.getMessage());
            }
        });
    }

    @Test
    void notifyingANegativeNumberOfWaitersThrows() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            try (var _ = cond.acquire()) {
                assertThrows(IllegalArgumentException.class, () -> cond.notifyWaiters(-1));
                cond.notifyWaiters(0);
                cond.notifyAllWaiters();     // nobody waits: nothing happens
            }
        });
    }

    @Test
    void waitingOutsideATaskThrows() {
        Condition cond = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::waitNotified);
        assertTrue(e.getMessage().startsWith("Condition.waitNotified() must be called from a task"), e.getMessage());
    }

    // ------------------------------------------------------------------ the lock

    @Test
    void acquireReleaseAndLockedUseTheUnderlyingLock() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            Condition cond = new Condition(lock);
            Condition other = new Condition(lock);
            try (var _ = cond.acquire()) {
                assertTrue(cond.locked());
                assertTrue(other.locked());
                assertTrue(lock.locked());
                other.notifyAllWaiters();    // other shares the lock, so it may notify
            }
            assertFalse(lock.locked());
            other.acquire();
            assertTrue(cond.locked());
            cond.release();
            assertFalse(other.locked());
            assertThrows(IllegalStateException.class, cond::release);
        });
    }

    @Test
    void acquiringTheLockTwiceInOneTaskThrows() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            try (var _ = cond.acquire()) {
                assertThrows(IllegalStateException.class, cond::acquire);
            }
        });
    }

    // ------------------------------------------------------------------ waiting and notifying

    @Test
    void waitReleasesTheLockWhileWaitingAndHoldsItAgainWhenItReturns() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            assertFalse(cond.locked(), "the waiter released the lock");
            try (var _ = cond.acquire()) {   // without suspending: the lock is free
                cond.notifyOne();
            }
            await(a);
            assertEquals(List.of("a"), log);
            assertFalse(cond.locked());
        });
    }

    @Test
    void notifyWakesUpToNWaitersLongestWaitingFirst() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(waiter(cond, "w" + i, log));
                sleep(Duration.ZERO);
            }
            try (var _ = cond.acquire()) {
                cond.notifyWaiters(2);
            }
            await(tasks.get(0));
            await(tasks.get(1));
            sleep(Duration.ZERO);
            assertEquals(List.of("w0", "w1"), log);
            try (var _ = cond.acquire()) {
                cond.notifyOne();
            }
            await(tasks.get(2));
            assertEquals(List.of("w0", "w1", "w2"), log);
            try (var _ = cond.acquire()) {
                cond.notifyWaiters(10);      // more than wait: wakes the two left
            }
            await(tasks.get(3));
            await(tasks.get(4));
            assertEquals(List.of("w0", "w1", "w2", "w3", "w4"), log);
        });
    }

    @Test
    void notifyAllWakesEveryWaiterInOrder() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(waiter(cond, "w" + i, log));
                sleep(Duration.ZERO);
            }
            try (var _ = cond.acquire()) {
                cond.notifyAllWaiters();
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(List.of("w0", "w1", "w2", "w3"), log);
        });
    }

    @Test
    void notifiedWaitersResumeOnlyOnceTheyHoldTheLockAgainOneAtATime() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            int[] inside = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(createTask(() -> {
                    try (var _ = cond.acquire()) {
                        cond.waitNotified();
                        assertEquals(0, inside[0]++);
                        sleep(Duration.ZERO);            // keeps the lock across a suspension
                        inside[0]--;
                    }
                }));
            }
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                cond.notifyAllWaiters();
                for (int i = 0; i < 5; i++) {
                    sleep(Duration.ZERO);                // still holding the lock: nobody may resume
                }
                assertEquals(0, inside[0]);
                for (Task<Void> t : tasks) {
                    assertFalse(t.isDone());
                }
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
        });
    }

    @Test
    void aCallbackMayNotifyWhileATaskHoldsTheLock() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                getRunningLoop().callSoon(cond::notifyOne);
                sleep(Duration.ZERO);
            }
            await(a);
            assertEquals(List.of("a"), log);
        });
    }

    @Test
    void waitForReturnsWithoutSuspendingWhenThePredicateAlreadyHolds() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            try (var _ = cond.acquire()) {
                cond.waitFor(() -> true);
                steps.expect(1);
                assertTrue(cond.locked());
            }
            await(other);
            steps.finish(2);
        });
    }

    @Test
    void waitForWaitsAndReEvaluatesThePredicateOnEachNotification() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            int[] value = {0};
            int[] evaluations = {0};
            Task<Void> consumer = createTask(() -> {
                try (var _ = cond.acquire()) {
                    cond.waitFor(() -> {
                        evaluations[0]++;
                        assertTrue(cond.locked(), "the predicate runs under the lock");
                        return value[0] >= 3;
                    });
                    assertEquals(3, value[0]);
                }
            });
            sleep(Duration.ZERO);
            for (int i = 0; i < 3; i++) {
                try (var _ = cond.acquire()) {
                    value[0]++;
                    cond.notifyOne();
                }
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
            }
            await(consumer);
            assertEquals(4, evaluations[0]);
        });
    }

    @Test
    void producersAndConsumersHandOverEveryItem() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            ArrayDeque<Integer> items = new ArrayDeque<>();
            int[] sum = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(createTask(() -> {
                    try (var _ = cond.acquire()) {
                        cond.waitFor(() -> !items.isEmpty());
                        sum[0] += items.removeFirst();
                    }
                }));
            }
            for (int i = 1; i <= 50; i++) {
                int item = i;
                tasks.add(createTask(() -> {
                    sleep(Duration.ofMillis(item % 3));
                    try (var _ = cond.acquire()) {
                        items.addLast(item);
                        cond.notifyAllWaiters();
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(50 * 51 / 2, sum[0]);
            assertTrue(items.isEmpty());
        });
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aWaitCancelledWhileWaitingHoldsTheLockAgainBeforeThrowing() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                a.cancel();
                for (int i = 0; i < 5; i++) {
                    sleep(Duration.ZERO);                // a is waiting for the lock, not done
                }
                assertFalse(a.isDone());
                assertEquals(List.of(), log);
            }
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(List.of("a!"), log, "a held the lock when the cancellation left the wait");
            assertFalse(cond.locked());
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingDoesNotWakeAnotherWaiter() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            Task<Void> b = waiter(cond, "b", log);
            sleep(Duration.ZERO);
            a.cancel();
            assertThrows(CancelledError.class, () -> await(a));
            for (int i = 0; i < 3; i++) {
                sleep(Duration.ZERO);
            }
            assertFalse(b.isDone(), "b was woken without a notification");
            try (var _ = cond.acquire()) {
                cond.notifyOne();
            }
            await(b);
            assertEquals(List.of("a!", "b"), log);
        });
    }

    @Test
    void aWaiterNotifiedThenCancelledBeforeItRunsPassesTheNotificationOn() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            Task<Void> b = waiter(cond, "b", log);
            Task<Void> c = waiter(cond, "c", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                cond.notifyOne();            // wakes a
                a.cancel();                  // ... which is cancelled before it runs
            }
            await(b);                        // b got a's notification
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(List.of("a!", "b"), log);
            assertFalse(c.isDone(), "one notification wakes one waiter");
            try (var _ = cond.acquire()) {
                cond.notifyOne();
            }
            await(c);
        });
    }

    @Test
    void aCancellationWhileReacquiringTheLockIsThrownOnceTheLockIsHeldAndPassesTheNotificationOn() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            Task<Void> b = waiter(cond, "b", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                cond.notifyOne();            // wakes a
                sleep(Duration.ZERO);                    // a runs and waits for the lock we hold
                a.cancel();
                for (int i = 0; i < 3; i++) {
                    sleep(Duration.ZERO);                // the cancellation does not end a's wait for the lock
                }
                assertFalse(a.isDone());
            }
            assertThrows(CancelledError.class, () -> await(a));
            await(b);
            assertEquals(List.of("a!", "b"), log);
        });
    }

    @Test
    void twoCancellationsOfOneWaitAreDeliveredAsOneAfterTheLockIsHeld() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                a.cancel("first");
                sleep(Duration.ZERO);                    // a left the wait and waits for the lock
                a.cancel("second");
                sleep(Duration.ZERO);
                assertFalse(a.isDone());
            }
            CancelledError e = assertThrows(CancelledError.class, () -> await(a));
            assertEquals("second", e.getMessage(), "asyncio raises the most recent cancellation");
            assertEquals(2, a.cancelling());
            assertEquals(List.of("a!"), log);
        });
    }

    @Test
    void aTimeoutDuringTheWaitHoldsTheLockAgainBeforeThrowingTimeoutError() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(20))) {
                    try (var _ = cond.acquire()) {
                        try {
                            cond.waitNotified();
                        } finally {
                            log.add("a left the wait holding the lock: " + cond.locked());
                        }
                    }
                }
            });
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                sleep(Duration.ofMillis(60));                   // the timeout fires while we hold the lock
                assertFalse(a.isDone());
                log.add("main releases");
            }
            assertThrows(TimeoutError.class, () -> await(a));
            assertEquals(List.of("main releases", "a left the wait holding the lock: true"), log);
        });
    }

    @Test
    void aTimeoutWhileWaitingForPredicateThrowsTimeoutErrorWithTheLockReleasedAfterwards() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            Task<Void> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(5))) {
                    try (var _ = cond.acquire()) {
                        cond.waitFor(() -> false);
                        fail("the predicate never holds");
                    }
                }
            });
            assertThrows(TimeoutError.class, () -> await(a));
            assertFalse(cond.locked());
        });
    }

    // ------------------------------------------------------------------ loops

    @Test
    void aConditionThatMadeATaskWaitOnOneLoopRefusesWaitersOfAnotherLoop() {
        Condition cond = new Condition();
        AsyncTesting.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            try (var _ = cond.acquire()) {
                cond.notifyOne();
            }
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            try (var _ = cond.acquire()) {   // the lock was never waited for: any loop may take it
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::waitNotified);
                assertEquals("<Condition locked> is bound to a different event loop", e.getMessage());
                assertTrue(cond.locked(), "the failed wait kept the lock");
            }
        });
    }

    @Test
    void waitingFailsBeforeReleasingALockBoundToAnotherLoop() {
        Lock lock = new Lock();
        AsyncTesting.runVirtual(() -> {
            lock.acquire();
            Task<Void> a = createTask(() -> {
                lock.acquire();
                lock.release();
            });
            sleep(Duration.ZERO);                        // a waits: the lock is bound to this loop
            lock.release();
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition(lock);
            try (var _ = cond.acquire()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::waitNotified);
                assertEquals("<Lock locked> is bound to a different event loop", e.getMessage());
                assertTrue(cond.locked(), "the failed wait kept the lock");
            }
        });
    }

    @Test
    void toStringShowsTheLockAndTheWaiters() {
        AsyncTesting.runVirtual(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = waiter(cond, "a", log);
            sleep(Duration.ZERO);
            assertEquals("<Condition unlocked waiters=1>", cond.toString());
            try (var _ = cond.acquire()) {
                assertEquals("<Condition locked waiters=1>", cond.toString());
                cond.notifyOne();
                assertEquals("<Condition locked>", cond.toString());
            }
            await(a);
            assertEquals(List.of("a"), log);
        });
    }
}
