package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Semaphore: asyncio's rules L11 to L13 and L16, FIFO hand-over of permits and cancellation races.
 * A test that hangs (a lost wake-up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    /** Starts a task that takes a permit, records its name, and keeps the permit. */
    private static Task<Void> taker(Semaphore sem, String name, List<String> log) {
        return createTask(name, () -> {
            sem.acquire();
            log.add(name);
        });
    }

    /** Acquires {@code n} permits, failing if any acquire suspends. */
    private static void acquireWithoutSuspending(Semaphore sem, int n) {
        Steps steps = new Steps();
        Task<Void> other = createTask(() -> steps.expect(n + 1));
        for (int i = 1; i <= n; i++) {
            sem.acquire();
            steps.expect(i);
        }
        await(other);
    }

    @Test
    void aNegativeInitialValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        new Semaphore(0);
    }

    @Test
    void acquireTakesFreePermitsWithoutSuspending() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(3);
            assertFalse(sem.locked());
            acquireWithoutSuspending(sem, 3);
            assertTrue(sem.locked());
            sem.release();
            sem.release();
            sem.release();
            assertFalse(sem.locked());
        });
    }

    @Test
    void acquireWaitsWhileNoPermitIsFree() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            assertTrue(sem.locked());
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            for (int i = 0; i < 3; i++) {
                sleep(Duration.ZERO);
            }
            assertFalse(a.isDone());
            sem.release();
            await(a);
            assertEquals(List.of("a"), log);
            assertTrue(sem.locked());
        });
    }

    @Test
    void waitersGetPermitsInTheOrderTheyAskedForThem() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(taker(sem, "t" + i, log));
                sleep(Duration.ZERO);
            }
            for (int i = 0; i < 5; i++) {
                sem.release();
                sleep(Duration.ZERO);
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), log);
        });
    }

    @Test
    void releaseMayRaiseTheCountAboveTheInitialValue() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.release();
            sem.release();
            acquireWithoutSuspending(sem, 3);
            assertTrue(sem.locked());
        });
    }

    @Test
    void aReleasedPermitGoesToTheFirstWaiterAndNewcomersQueueBehindIt() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            sleep(Duration.ZERO);
            sem.release();                   // the permit goes to a, which has not run yet
            assertTrue(sem.locked(), "the permit is a's: the semaphore stays locked");
            Task<Void> b = taker(sem, "b", log);
            await(a);
            for (int i = 0; i < 3; i++) {
                sleep(Duration.ZERO);
            }
            assertFalse(b.isDone(), "b must not take a's permit");
            sem.release();
            await(b);
            assertEquals(List.of("a", "b"), log);
        });
    }

    @Test
    void concurrencyNeverExceedsThePermits() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(3);
            int[] inside = {0, 0};           // now, most
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                tasks.add(createTask(() -> {
                    try (var _ = sem.acquire()) {
                        inside[1] = Math.max(inside[1], ++inside[0]);
                        sleep(Duration.ZERO);
                        sleep(Duration.ZERO);
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(3, inside[1]);
            assertFalse(sem.locked());
        });
    }

    @Test
    void theHeldReturnedByAcquireReleasesThePermitWhenClosed() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            try (var _ = sem.acquire()) {
                assertTrue(sem.locked());
            }
            assertFalse(sem.locked());
            assertThrows(ArithmeticException.class, () -> {
                try (var _ = sem.acquire()) {
                    throw new ArithmeticException("boom");
                }
            });
            assertFalse(sem.locked());
        });
    }

    @Test
    void aCallbackMayReleaseAPermit() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            sleep(Duration.ZERO);
            getRunningLoop().callSoon(sem::release);
            await(a);
            assertEquals(List.of("a"), log);
        });
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void lockedIgnoresWaitersThatWereCancelled() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = createTask(() -> {
                sem.acquire();
                fail("a cancelled waiter got a permit");
            });
            sleep(Duration.ZERO);
            a.cancel();                      // a leaves the queue only when it runs
            sem.release();
            assertFalse(sem.locked());
            acquireWithoutSuspending(sem, 1);
            assertThrows(CancelledError.class, () -> await(a));
            assertTrue(sem.locked());
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingTakesNoPermit() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            Task<Void> b = taker(sem, "b", log);
            sleep(Duration.ZERO);
            a.cancel();
            assertThrows(CancelledError.class, () -> await(a));
            sem.release();
            await(b);
            assertEquals(List.of("b"), log);
            assertTrue(sem.locked());
        });
    }

    @Test
    void aWaiterWokenThenCancelledBeforeItRunsGivesItsPermitToTheNextWaiter() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            Task<Void> b = taker(sem, "b", log);
            Task<Void> c = taker(sem, "c", log);
            sleep(Duration.ZERO);
            sem.release();                   // the permit goes to a
            a.cancel();                      // ... which is cancelled before it runs
            await(b);
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(List.of("b"), log);
            assertFalse(c.isDone(), "one permit, one task");
            assertTrue(sem.locked());
            sem.release();
            await(c);
        });
    }

    @Test
    void aWaiterWokenThenCancelledWithNobodyBehindItReturnsItsPermit() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = createTask(() -> {
                sem.acquire();
            });
            sleep(Duration.ZERO);
            sem.release();
            a.cancel();
            assertThrows(CancelledError.class, () -> await(a));
            assertFalse(sem.locked());
            acquireWithoutSuspending(sem, 1);
            assertTrue(sem.locked());
        });
    }

    @Test
    void ofSeveralWokenWaitersOnlyTheCancelledOneGivesItsPermitOn() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d", "e")) {
                tasks.add(taker(sem, name, log));
            }
            sleep(Duration.ZERO);
            sem.release();                   // to a
            sem.release();                   // to b
            tasks.get(0).cancel();           // a: woken, then cancelled
            tasks.get(2).cancel();           // c: cancelled while waiting
            await(tasks.get(1));
            await(tasks.get(3));             // d got a's permit, past the cancelled c
            assertEquals(List.of("b", "d"), log);
            assertTrue(tasks.get(0).isCancelled());
            assertTrue(tasks.get(2).isCancelled());
            assertFalse(tasks.get(4).isDone());
            sem.release();
            await(tasks.get(4));
            assertEquals(List.of("b", "d", "e"), log);
        });
    }

    @Test
    void eachWaiterWokenThenCancelledPassesThePermitFurtherDownTheQueue() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = taker(sem, "a", log);
            Task<Void> b = taker(sem, "b", log);
            Task<Void> c = taker(sem, "c", log);
            sleep(Duration.ZERO);
            sem.release();                   // to a
            a.cancel();
            sleep(Duration.ZERO);                        // a ran and gave the permit to b, which has not run
            assertFalse(b.isDone());
            b.cancel();
            await(c);
            assertTrue(a.isCancelled());
            assertTrue(b.isCancelled());
            assertEquals(List.of("c"), log);
        });
    }

    @Test
    void aPendingCancellationMakesAcquireThrowOnlyWhenItWouldWait() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            Task<Void> a = createTask(() -> {
                currentTask().cancel();
                sem.acquire();               // a free permit: taken, no cancellation point (asyncio)
                try {
                    sem.acquire();           // would wait: the cancellation is thrown
                    fail("took a second permit");
                } finally {
                    sem.release();
                }
            });
            assertThrows(CancelledError.class, () -> await(a));
            assertFalse(sem.locked());
        });
    }

    @Test
    void aTimeoutWhileWaitingThrowsTimeoutErrorAndTakesNoPermit() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(5))) {
                    sem.acquire();
                }
            });
            assertThrows(TimeoutError.class, () -> await(a));
            sem.release();
            acquireWithoutSuspending(sem, 1);
        });
    }

    // ------------------------------------------------------------------ loops

    @Test
    void aSemaphoreThatMadeATaskWaitOnOneLoopRefusesWaitersOfAnotherLoop() {
        Semaphore sem = new Semaphore(0);
        AsyncTesting.runVirtual(() -> {
            Task<Void> a = createTask(() -> {
                sem.acquire();
            });
            sleep(Duration.ZERO);
            sem.release();
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            sem.release();
            sem.acquire();                   // a free permit: allowed from any loop
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::acquire);
            assertEquals("<Semaphore locked value=0> is bound to a different event loop", e.getMessage());
        });
    }

    @Test
    void toStringShowsTheValueAndTheWaiters() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new Semaphore(2);
            assertEquals("<Semaphore unlocked value=2>", sem.toString());
            sem.acquire();
            sem.acquire();
            Task<Void> a = createTask(() -> {
                sem.acquire();
            });
            sleep(Duration.ZERO);
            assertEquals("<Semaphore locked value=0 waiters=1>", sem.toString());
            sem.release();
            await(a);
        });
    }
}
