package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.currentTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.AsyncTesting.Steps;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroupException;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Lock: asyncio's rules L1 to L5 and L16, the reentrancy check asyncio lacks, and try-with-
 * resources. A test that hangs (a lost wake-up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class LockTest {

    /** Starts a task that acquires the lock, records its name, yields once holding it, and releases it. */
    private static Task<Void> contender(Lock lock, String name, List<String> order) {
        return createTask(name, () -> {
            try (var _ = lock.acquire()) {
                order.add(name);
                sleep(Duration.ZERO);
            }
        });
    }

    @Test
    void acquireOfAFreeLockReturnsWithoutSuspending() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            lock.acquire();
            steps.expect(1);
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            await(other);
            steps.finish(2);
        });
    }

    @Test
    void acquireDoesNotWaitBehindWaitersThatWereCancelled() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> waiter = createTask(() -> {
                lock.acquire();
                fail("a cancelled waiter got the lock");
            });
            sleep(Duration.ZERO);
            waiter.cancel();                 // the waiter leaves the queue only when it runs
            lock.release();
            assertFalse(lock.locked());
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            lock.acquire();                  // no waiter that is not cancelled: no suspension
            steps.expect(1);
            lock.release();
            await(other);
            assertThrows(CancelledError.class, () -> await(waiter));
            assertTrue(waiter.isCancelled());
            assertFalse(lock.locked());
        });
    }

    @Test
    void waitersGetTheLockInTheOrderTheyAskedForIt() {
        List<String> order = AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> seen = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(contender(lock, "t" + i, seen));
                sleep(Duration.ZERO);                    // each one queues before the next starts
            }
            lock.release();
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertFalse(lock.locked());
            return seen;
        });
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), order);
    }

    @Test
    void aLockHandedToAWaiterIsNotLockedYetButNewcomersQueueBehindTheWaiter() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> first = contender(lock, "first", order);
            sleep(Duration.ZERO);
            lock.release();
            assertFalse(lock.locked(), "asyncio: not locked until the woken waiter runs");
            lock.acquire();                  // must not barge in ahead of the woken waiter
            order.add("main");
            lock.release();
            await(first);
            assertEquals(List.of("first", "main"), order);
        });
    }

    @Test
    void releasingALockThatIsNotAcquiredThrows() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("Lock is not acquired.", e.getMessage());
            lock.acquire();
            lock.release();
            assertThrows(IllegalStateException.class, lock::release);
        });
    }

    @Test
    void releasingDuringAHandOffThrowsBecauseNobodyHoldsTheLock() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> waiter = contender(lock, "w", order);
            sleep(Duration.ZERO);
            lock.release();
            assertThrows(IllegalStateException.class, lock::release);
            await(waiter);
            assertEquals(List.of("w"), order);
        });
    }

    @Test
    void anyTaskMayReleaseALockAnotherTaskAcquired() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            await(createTask(lock::release));
            assertFalse(lock.locked());
            lock.acquire();                  // the owner was forgotten: acquiring again is no error
            lock.release();
        });
    }

    @Test
    void aCallbackMayReleaseALock() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            getRunningLoop().callSoon(lock::release);
            sleep(Duration.ZERO);
            assertFalse(lock.locked());
        });
    }

    @Test
    void acquiringALockTheTaskAlreadyHoldsThrowsInsteadOfDeadlocking() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
            assertTrue(e.getMessage().contains("already holds this lock"), e.getMessage());
            assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
            assertTrue(e.getMessage().contains("Release it before acquiring it again"), e.getMessage());
            assertTrue(lock.locked(), "the failed acquire leaves the lock held");
            lock.release();
        });
    }

    @Test
    void theHeldReturnedByAcquireReleasesTheLockWhenClosed() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            try (var _ = lock.acquire()) {
                assertTrue(lock.locked());
            }
            assertFalse(lock.locked());
            assertThrows(ArithmeticException.class, () -> {
                try (var _ = lock.acquire()) {
                    throw new ArithmeticException("boom");
                }
            });
            assertFalse(lock.locked(), "released although the block threw");
        });
    }

    @Test
    void onlyOneTaskAtATimeRunsUnderTheLockAndTurnsFollowArrivalOrder() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            int[] inside = {0};
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int id = i;
                tasks.add(createTask(() -> {
                    try (var _ = lock.acquire()) {
                        assertEquals(0, inside[0]++);
                        order.add(id);
                        sleep(Duration.ZERO);
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertEquals(expected, order);
        });
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueueAndTheNextWaiterGetsTheLock() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = contender(lock, "a", order);
            Task<Void> b = contender(lock, "b", order);
            sleep(Duration.ZERO);
            assertTrue(a.cancel());
            sleep(Duration.ZERO);
            assertTrue(a.isCancelled());
            lock.release();
            await(b);
            assertEquals(List.of("b"), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void aWaiterWokenThenCancelledBeforeItRunsPassesTheLockToTheNextWaiter() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = contender(lock, "a", order);
            Task<Void> b = contender(lock, "b", order);
            sleep(Duration.ZERO);
            lock.release();                  // hands the lock to a
            assertTrue(a.cancel());          // ... which is cancelled before it runs
            await(b);
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(List.of("b"), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void aWaiterWokenThenCancelledWithNobodyBehindItLeavesTheLockFree() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = contender(lock, "a", new ArrayList<>());
            sleep(Duration.ZERO);
            lock.release();
            a.cancel();
            assertThrows(CancelledError.class, () -> await(a));
            assertFalse(lock.locked());
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            lock.acquire();                  // free and nobody waits: no suspension
            steps.expect(1);
            lock.release();
            await(other);
        });
    }

    @Test
    void eachWaiterWokenThenCancelledPassesTheLockFurtherDownTheQueue() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = contender(lock, "a", order);
            Task<Void> b = contender(lock, "b", order);
            Task<Void> c = contender(lock, "c", order);
            sleep(Duration.ZERO);
            lock.release();                  // to a
            a.cancel();
            sleep(Duration.ZERO);                        // a ran, passed the lock to b, which has not run yet
            assertTrue(a.isCancelled());
            assertFalse(b.isDone());
            b.cancel();
            await(c);
            assertTrue(b.isCancelled());
            assertEquals(List.of("c"), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void aWokenWaiterCancelledTogetherWithTheWaiterBehindItPassesTheLockPastIt() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = contender(lock, "a", order);
            Task<Void> b = contender(lock, "b", order);
            Task<Void> c = contender(lock, "c", order);
            Task<Void> d = contender(lock, "d", order);
            sleep(Duration.ZERO);
            lock.release();                  // to a
            a.cancel();                      // woken, then cancelled
            b.cancel();                      // cancelled while waiting
            await(c);
            await(d);
            assertTrue(a.isCancelled());
            assertTrue(b.isCancelled());
            assertEquals(List.of("c", "d"), order);
        });
    }

    @Test
    void aPendingCancellationMakesAcquireOfABusyLockThrowWithoutQueueing() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = createTask(() -> {
                currentTask().cancel();
                lock.acquire();
                fail("acquired a busy lock");
            });
            assertThrows(CancelledError.class, () -> await(a));
            lock.release();
            assertFalse(lock.locked(), "nobody was queued to receive the lock");
        });
    }

    @Test
    void acquireOfAFreeLockIsNotACancellationPointAsInAsyncio() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            Task<Void> a = createTask(() -> {
                currentTask().cancel();
                lock.acquire();
                try {
                    assertTrue(lock.locked());
                    sleep(Duration.ZERO);                // the cancellation arrives here
                } finally {
                    lock.release();
                }
            });
            assertThrows(CancelledError.class, () -> await(a));
            assertFalse(lock.locked());
        });
    }

    @Test
    void aTimeoutWhileWaitingThrowsTimeoutErrorAndTheLockStaysWithItsHolder() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(5))) {
                    lock.acquire();
                    fail("acquired a held lock");
                }
            });
            assertThrows(TimeoutError.class, () -> await(a));
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked(), "the timed-out waiter left the queue");
        });
    }

    @Test
    void anAbortingTaskGroupCancelsTheHolderAndTheWaitersAndTheLockIsFreeAfterwards() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
                tg.createTask(() -> {
                    try (var _ = lock.acquire()) {
                        sleep(Duration.ofMillis(60_000));       // cancelled by the group: releases the lock
                    }
                });
                for (int i = 0; i < 3; i++) {
                    String name = "w" + i;
                    tg.createTask(() -> {
                        try (var _ = lock.acquire()) {
                            order.add(name);
                        }
                    });
                }
                sleep(Duration.ZERO);                    // everybody waits
                throw new ArithmeticException("boom");   // the body fails: children cancelled
            }));
            assertInstanceOf(ArithmeticException.class, e.exceptions().getFirst());
            assertEquals(List.of(), order);
            assertFalse(lock.locked());
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            lock.acquire();                  // nobody is left waiting: no suspension
            steps.expect(1);
            lock.release();
            await(other);
        });
    }

    // ------------------------------------------------------------------ misuse and loops

    @Test
    void acquireFromACallbackThrows() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            IllegalStateException[] caught = {null};
            getRunningLoop().callSoon(() -> {
                try {
                    lock.acquire();
                } catch (IllegalStateException e) {
                    caught[0] = e;
                }
            });
            sleep(Duration.ZERO);
            assertNotNull(caught[0]);
            assertTrue(caught[0].getMessage().startsWith("Lock.acquire() was called from a callback"),
                    caught[0].getMessage());
        });
    }

    @Test
    void aLockThatMadeATaskWaitOnOneLoopRefusesWaitersOfAnotherLoop() {
        Lock lock = new Lock();
        AsyncTesting.runVirtual(() -> {
            lock.acquire();
            Task<Void> a = contender(lock, "a", new ArrayList<>());
            sleep(Duration.ZERO);                        // a waits: the lock is bound to this loop
            lock.release();
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            lock.acquire();                  // no waiting: allowed from any loop, as in asyncio
            Task<Void> b = createTask(() -> {
                lock.acquire();
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(b));
            assertEquals("<Lock locked> is bound to a different event loop", e.getMessage());
            lock.release();
        });
    }

    @Test
    void toStringShowsTheStateAndTheWaiters() {
        AsyncTesting.runVirtual(() -> {
            Lock lock = new Lock();
            assertEquals("<Lock unlocked>", lock.toString());
            lock.acquire();
            Task<Void> a = contender(lock, "a", new ArrayList<>());
            sleep(Duration.ZERO);
            assertEquals("<Lock locked waiters=1>", lock.toString());
            lock.release();
            await(a);
        });
    }
}
