package io.asyncio4j.internal.file;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The hand-off between a task and the thread running its file call. The regression pinned here:
 * handing the call to the pool can suspend the task inside the JDK (a contended lock of the
 * pool's queue parks a virtual thread, which lets its loop run other callbacks), the call can end
 * and post its wake-up meanwhile, and the task then parked for ever (`bench files 2000` hung with
 * its loop idle in select).
 */
class FileOpTest {

    /**
     * An executor that runs the call on another thread and waits for it in a way the JDK handles
     * by unmounting the virtual thread (join), then once more (sleep): the task is suspended in the
     * JDK, not parked on the op, while the call ends and its wake-up runs on the loop.
     */
    private static final Executor RUN_THEN_SUSPEND = call -> {
        Thread t = Thread.ofPlatform().start(call);
        try {
            t.join();
            Thread.sleep(20);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    };

    /**
     * Without the fix this test parks its task for ever, and a cancellation cannot end a wait on
     * a file call (it is deferred until the call ends, which it did long ago): the loop runs on a
     * thread of its own so that the test fails after a bound instead of hanging the build.
     */
    @Test
    void aCallThatEndsBeforeItsTaskParksStillWakesIt() throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().daemon().name("fileop-test-loop").start(() -> {
            try {
                AsyncTesting.run(() -> {
                    for (int i = 0; i < 20; i++) {
                        int n = i;
                        assertEquals(n, (int) FileOp.executeOn(RUN_THEN_SUSPEND, "test", op -> n, null));
                        done.incrementAndGet();
                    }
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        loop.join(Duration.ofSeconds(10));
        assertFalse(loop.isAlive(), "the task was never woken: " + done.get() + " of 20 calls returned");
        assertNull(failure.get());
        assertEquals(20, done.get());
    }

    @AsyncioTest(timeoutSeconds = 20)
    void theEarlyWakeUpOfAFinishedCallDoesNotWakeTheTaskFromItsNextWait() {
        FileOp.executeOn(RUN_THEN_SUSPEND, "test", op -> 1, null);
        // the task's next wait is a sleep: it must last, not end at once
        long t0 = System.nanoTime();
        sleep(Duration.ofMillis(50));
        assertEquals(true, System.nanoTime() - t0 >= 50_000_000L);
    }

    @AsyncioTest(timeoutSeconds = 20)
    void aCancellationWhileTheCallRunsWaitsForItAndKeepsItsResult() {
        AtomicInteger kept = new AtomicInteger();
        Task<Integer> t = createTask(() -> FileOp.executeOn(Thread::startVirtualThread, "test", op -> {
            Thread.sleep(100);
            return 7;
        }, new FileOp.Outcomes<Integer>() {
            @Override
            public void kept(Integer result) {
                kept.set(result);
            }
        }));
        sleep(Duration.ofMillis(20));
        t.cancel();
        assertThrows(CancelledError.class, () -> io.asyncio4j.Asyncio.await(t));
        assertEquals(7, kept.get());
    }

    /**
     * The FIFO case: a cancellation arrives while the call does not yet know it may block for
     * ever (it is deferred), then the call marks itself interruptible and blocks. The op is
     * abandoned then, and the task gets its cancellation; without that it waited for ever.
     */
    @Test
    void aCancellationBeforeTheCallTurnsInterruptibleAbandonsItOnceItDoes() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger abandoned = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().daemon().name("fileop-test-loop").start(() -> {
            try {
                AsyncTesting.run(() -> {
                    Task<Integer> t = createTask(() -> FileOp.executeOn(Thread::startVirtualThread, "test", op -> {
                        Thread.sleep(100); // the cancellation comes meanwhile
                        op.markInterruptible();
                        release.await(); // a FIFO's open, blocked for ever
                        return 1;
                    }, new FileOp.Outcomes<Integer>() {
                        @Override
                        public void abandoned() {
                            abandoned.incrementAndGet();
                        }
                    }));
                    sleep(Duration.ofMillis(20));
                    t.cancel();
                    assertThrows(CancelledError.class, () -> io.asyncio4j.Asyncio.await(t));
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        loop.join(Duration.ofSeconds(10));
        release.countDown();
        assertFalse(loop.isAlive(), "the cancelled task still waits for the blocked call");
        assertNull(failure.get());
        assertEquals(1, abandoned.get());
    }
}
