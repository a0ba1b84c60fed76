package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import java.time.Duration;

/**
 * BoundedSemaphore: asyncio's rule L12 and the bound across hand-overs and cancellations. A test
 * that hangs (a lost wake-up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class BoundedSemaphoreTest {

    @Test
    void aNegativeInitialValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void releasingMoreTimesThanAcquiredThrows() {
        AsyncTesting.runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertEquals("BoundedSemaphore released too many times", e.getMessage());
            sem.acquire();
            sem.acquire();
            sem.release();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals("<BoundedSemaphore unlocked value=2>", sem.toString(), "the refused release changed nothing");
        });
    }

    @Test
    void aZeroPermitBoundedSemaphoreRefusesEveryRelease() {
        BoundedSemaphore sem = new BoundedSemaphore(0);
        assertTrue(sem.locked());
        assertThrows(IllegalStateException.class, sem::release);
    }

    @Test
    void itIsASemaphoreUsableWithTryWithResources() {
        AsyncTesting.runVirtual(() -> {
            Semaphore sem = new BoundedSemaphore(1);
            for (int i = 0; i < 3; i++) {
                try (var _ = sem.acquire()) {
                    assertTrue(sem.locked());
                }
                assertFalse(sem.locked());
            }
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void aPermitReleasedToAWaiterIsStillCountedAsTaken() {
        AsyncTesting.runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            List<String> log = new ArrayList<>();
            Task<Void> a = createTask(() -> {
                try (var _ = sem.acquire()) {
                    log.add("a");
                }
            });
            sleep(Duration.ZERO);
            sem.release();                   // handed to a
            await(a);                        // a releases it: back to the bound
            assertEquals(List.of("a"), log);
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void aWaiterWokenThenCancelledReturnsItsPermitWithinTheBound() {
        AsyncTesting.runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> a = createTask(() -> {
                sem.acquire();
            });
            sleep(Duration.ZERO);
            sem.release();                   // handed to a
            a.cancel();                      // ... which gives it back
            assertThrows(CancelledError.class, () -> await(a));
            assertFalse(sem.locked());
            assertThrows(IllegalStateException.class, sem::release, "the returned permit is free again");
            sem.acquire();
            sem.release();
        });
    }

    @Test
    void theBoundHoldsAcrossManyTasks() {
        AsyncTesting.runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(4);
            int[] inside = {0, 0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tasks.add(createTask(() -> {
                    try (var _ = sem.acquire()) {
                        inside[1] = Math.max(inside[1], ++inside[0]);
                        sleep(Duration.ZERO);
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(4, inside[1]);
            assertThrows(IllegalStateException.class, sem::release);
        });
    }
}
