package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.moveOnAfter;
import static io.asyncio4j.Asyncio.onCancel;
import static io.asyncio4j.Asyncio.schedulerMode;
import static io.asyncio4j.Asyncio.shieldedScope;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.taskGroup;
import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Testing;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Asyncio#onCancel}: a cancellation reaches a task blocked in a JDK call (fast scheduler),
 * or suspended inside the call (both schedulers); what is thrown, and that no abort is left in
 * flight.
 */
class OnCancelTest {

    private static boolean fast() {
        return schedulerMode() == SchedulerMode.FAST;
    }

    // ------------------------------------------------------------------ both schedulers

    @AsyncioTest
    void withoutACancellationTheResultPassesThroughAndTheAbortNeverRuns() {
        AtomicBoolean aborted = new AtomicBoolean();
        String r = onCancel(() -> aborted.set(true), () -> "done");
        assertEquals("done", r);
        sleep(Duration.ofMillis(20));
        assertFalse(aborted.get());
    }

    @AsyncioTest
    void withoutACancellationTheBodysExceptionPassesThroughUnchanged() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> onCancel(() -> { }, () -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @AsyncioTest
    void aCancellationAlreadyPendingIsThrownBeforeTheBodyRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean aborted = new AtomicBoolean();
        Task<String> t = createTask(() -> {
            currentTaskCancelsItself();
            return onCancel(() -> aborted.set(true), () -> {
                ran.set(true);
                return "ran";
            });
        });
        assertThrows(CancelledError.class, () -> await(t));
        assertFalse(ran.get());
        assertFalse(aborted.get());
    }

    private static void currentTaskCancelsItself() {
        Asyncio.currentTask().cancel();
    }

    @AsyncioTest
    void aCancellationWhileTheBodyIsSuspendedRunsTheAbortOffTheLoopAndThrowsAfterIt() {
        Thread loopThread = Thread.currentThread();
        AtomicReference<Thread> abortThread = new AtomicReference<>();
        AtomicBoolean abortFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenThrown = new AtomicBoolean();
        Future<String> never = createFuture();
        Task<String> t = createTask(() -> {
            try {
                return onCancel(() -> {
                    abortThread.set(Thread.currentThread());
                    Thread.sleep(50); // a slow abort: onCancel must wait for it
                    abortFinished.set(true);
                }, () -> await(never));
            } catch (CancelledError e) {
                finishedWhenThrown.set(abortFinished.get());
                throw e;
            }
        });
        Testing.waitAllTasksBlocked();
        t.cancel("stop");
        CancelledError e = assertThrows(CancelledError.class, () -> await(t));
        assertEquals("stop", e.getMessage());
        assertTrue(finishedWhenThrown.get(), "onCancel threw before its abort had finished");
        assertNotSame(loopThread, abortThread.get());
        assertFalse(abortThread.get().isVirtual(), "the abort runs on the loop's executor");
    }

    @AsyncioTest
    void aShieldedScopeInsideTheBodyDoesNotHideTheCancellationFromTheAbort() {
        // the executor pattern: the body waits for a thread, shielded, and the abort stops it
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean threadDoneWhenThrown = new AtomicBoolean();
        AtomicBoolean threadDone = new AtomicBoolean();
        Task<String> t = createTask(() -> {
            try {
                return onCancel(release::countDown, () -> {
                    try (var _ = shieldedScope()) {
                        return await(getRunningLoop().runInExecutor(() -> {
                            release.await();
                            threadDone.set(true);
                            return "late";
                        }));
                    }
                });
            } catch (CancelledError e) {
                threadDoneWhenThrown.set(threadDone.get());
                throw e;
            }
        });
        Testing.waitAllTasksBlocked();
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
        assertTrue(threadDoneWhenThrown.get(), "the executor call was still running");
    }

    @AsyncioTest
    void aShieldedScopeAroundTheCallHidesTheCancellation() {
        Future<String> gate = createFuture();
        AtomicBoolean aborted = new AtomicBoolean();
        Task<String> t = createTask(() -> {
            String r;
            try (var _ = shieldedScope()) {
                r = onCancel(() -> aborted.set(true), () -> await(gate));
            }
            return r;
        });
        Testing.waitAllTasksBlocked();
        t.cancel();
        Testing.waitAllTasksBlocked();
        assertFalse(aborted.get());
        gate.setResult("finished");
        assertThrows(CancelledError.class, () -> await(t)); // delivered after the shielded block
        assertFalse(aborted.get());
    }

    @AsyncioTest
    void theBodysAndTheAbortsExceptionsTravelSuppressedInTheCancellation() {
        EventLoop loop = getRunningLoop();
        Future<String> read = createFuture();
        IllegalStateException abortFailure = new IllegalStateException("abort failed");
        Task<String> t = createTask(() -> onCancel(() -> {
            loop.callSoonThreadsafe(() -> read.setException(new IOException("interrupted read")));
            throw abortFailure;
        }, () -> {
            try (var _ = shieldedScope()) {
                return await(read);
            }
        }));
        Testing.waitAllTasksBlocked();
        t.cancel();
        CancelledError e = assertThrows(CancelledError.class, () -> await(t));
        assertEquals(2, e.getSuppressed().length);
        assertInstanceOf(IOException.class, e.getSuppressed()[0]);
        assertSame(abortFailure, e.getSuppressed()[1]);
    }

    @AsyncioTest
    void aCancellationTheBodyReceivesAtItsOwnSuspensionPointLeavesAsItIs() {
        Future<String> never = createFuture();
        IllegalStateException abortFailure = new IllegalStateException("abort failed");
        Task<String> t = createTask(() -> onCancel(() -> {
            throw abortFailure;
        }, () -> await(never)));
        Testing.waitAllTasksBlocked();
        t.cancel("bye");
        CancelledError e = assertThrows(CancelledError.class, () -> await(t));
        assertEquals("bye", e.getMessage());
        assertSame(abortFailure, e.getSuppressed()[0]);
    }

    @AsyncioTest
    void nestedCallsEachRunTheirAbortOnce() {
        List<String> aborts = Collections.synchronizedList(new ArrayList<>());
        Future<String> never = createFuture();
        Task<String> t = createTask(() -> onCancel(() -> aborts.add("outer"),
                () -> onCancel(() -> aborts.add("inner"), () -> await(never))));
        Testing.waitAllTasksBlocked();
        t.cancel();
        t.cancel(); // a second request fires nothing twice
        assertThrows(CancelledError.class, () -> await(t));
        Collections.sort(aborts);
        assertEquals(List.of("inner", "outer"), aborts);
    }

    @Test
    void outsideATaskItIsAnError() {
        assertThrows(IllegalStateException.class, () -> onCancel(() -> { }, () -> "x"));
    }

    // ------------------------------------------------------------------ fast scheduler: blocked in the JDK

    @AsyncioTest
    void aCancelledTaskBlockedInAJdkWaitIsReachedAndEndsCancelled() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        AtomicBoolean bodyReturned = new AtomicBoolean();
        Task<Void> t = createTask(() -> {
            onCancel(latch::countDown, () -> {
                latch.await(); // parks the task's virtual thread inside the JDK
                bodyReturned.set(true);
                return null;
            });
        });
        Testing.waitAllTasksBlocked();
        long t0 = System.nanoTime();
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
        assertTrue(bodyReturned.get());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @AsyncioTest
    void theLoopRunsOtherTasksWhileACallIsBlocked() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        Task<Void> blocked = createTask(() -> {
            onCancel(latch::countDown, () -> {
                latch.await();
                return null;
            });
        });
        AtomicInteger ticks = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            sleep(Duration.ofMillis(2));
            ticks.incrementAndGet();
        }
        assertEquals(10, ticks.get());
        assertFalse(blocked.isDone());
        blocked.cancel();
        assertThrows(CancelledError.class, () -> await(blocked));
    }

    @AsyncioTest
    void anExpiringTimeoutReachesTheBlockedCallAsATimeoutError() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        long t0 = System.nanoTime();
        TimeoutError e = assertThrows(TimeoutError.class, () -> {
            try (Timeout _ = timeout(Duration.ofMillis(30))) {
                onCancel(latch::countDown, () -> {
                    latch.await();
                    return null;
                });
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 29 && ms < 1000, "took " + ms + " ms");
        assertEquals(0, latch.getCount());
        assertTrue(e.timeout().expired());
    }

    @AsyncioTest
    void aFailingSiblingReachesTheBlockedCallThroughItsTaskGroup() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        AtomicBoolean aborted = new AtomicBoolean();
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
            tg.createTask(() -> {
                onCancel(() -> {
                    aborted.set(true);
                    latch.countDown();
                }, () -> {
                    latch.await();
                    return null;
                });
            });
            tg.createTask(() -> {
                sleep(Duration.ofMillis(10));
                throw new IllegalArgumentException("sibling failed");
            });
            return null;
        }));
        assertTrue(aborted.get());
        assertEquals(1, e.exceptions().size());
        assertInstanceOf(IllegalArgumentException.class, e.exceptions().get(0));
    }

    @AsyncioTest
    void aTaskGroupBodyBlockedInTheJdkIsReachedWhenAChildFails() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        assertThrows(TaskGroupException.class, () -> taskGroup(tg -> {
            tg.createTask(() -> {
                sleep(Duration.ofMillis(10));
                throw new IllegalArgumentException("child failed");
            });
            return onCancel(latch::countDown, () -> {
                latch.await();
                return "body";
            });
        }));
        assertEquals(0, latch.getCount());
    }

    @AsyncioTest
    void aCancelledCancelScopeReachesTheBlockedCall() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        CancelScope s = moveOnAfter(Duration.ofMillis(20), scope -> {
            onCancel(latch::countDown, () -> {
                latch.await();
                return null;
            });
        });
        assertTrue(s.cancelledCaught());
    }

    @AsyncioTest
    void aBlockedSocketReadClosedByTheAbortEndsCancelledWithTheSocketErrorSuppressed() throws IOException {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            Task<Integer> reader = createTask(() -> onCancel(client::close, () -> {
                InputStream in = client.getInputStream();
                return in.read(); // blocks: the peer sends nothing
            }));
            Testing.waitAllTasksBlocked();
            reader.cancel();
            CancelledError e = assertThrows(CancelledError.class, () -> await(reader));
            assertEquals(1, e.getSuppressed().length);
            assertInstanceOf(SocketException.class, e.getSuppressed()[0]);
            assertTrue(client.isClosed());
            assertFalse(accepted.isClosed());
        }
    }

    @AsyncioTest
    void aCancellationThatLosesTheRaceStillEndsTheTaskCancelled() {
        assumeTrue(fast(), "a blocking JDK call holds the loop in compatibility mode");
        CountDownLatch latch = new CountDownLatch(1);
        // the abort does not reach the call: it returns on its own, later; its result is dropped
        Thread.ofPlatform().daemon().start(() -> {
            sleepQuietly(100);
            latch.countDown();
        });
        Task<String> t = createTask(() -> onCancel(() -> { }, () -> {
            latch.await();
            return "result";
        }));
        Testing.waitAllTasksBlocked();
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
    }

    // ------------------------------------------------------------------ compatibility scheduler

    @AsyncioTest
    void inCompatibilityModeABlockingCallHoldsTheLoopAndItsCancellationComesAfterIt() {
        assumeTrue(!fast(), "compatibility mode only");
        CountDownLatch latch = new CountDownLatch(1);
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        Thread.ofPlatform().daemon().start(() -> {
            sleepQuietly(100);
            latch.countDown();
        });
        long t0 = System.nanoTime();
        assertThrows(TimeoutError.class, () -> {
            try (Timeout _ = timeout(Duration.ofMillis(10))) {
                String r = onCancel(() -> aborted.set(true), () -> {
                    latch.await(); // holds the baton: the timeout's timer cannot fire meanwhile
                    return "returned";
                });
                returned.set(r.equals("returned"));
                sleep(Duration.ofMillis(1)); // the next suspension point: the expired timeout is thrown here
            }
        });
        assertTrue(returned.get(), "the call ran to its end");
        assertFalse(aborted.get(), "nothing could reach the call while it held the loop");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(99));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
