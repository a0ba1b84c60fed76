package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.runCoroutineThreadsafe;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static io.asyncio4j.Asyncio.wrapFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.internal.task.Drivers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/**
 * Conformance of the bridges between the loop and other threads: runInExecutor, toThread,
 * runCoroutineThreadsafe, wrapFuture, and JDK blocking calls inside tasks (asyncio rules Q, B11).
 */
@Timeout(30)
class ThreadInteropTest {

    /** An event loop running forever on a platform thread of its own, for tests that act from outside. */
    private static final class LoopThread implements AutoCloseable {
        final EventLoop loop;
        private final Thread thread;

        LoopThread() throws InterruptedException, ExecutionException {
            CompletableFuture<EventLoop> created = new CompletableFuture<>();
            thread = Thread.ofPlatform().name("loop-under-test").start(() -> {
                EventLoop l = Asyncio.newEventLoop();
                l.callSoon(() -> created.complete(l));
                l.runForever();
            });
            loop = created.get();
        }

        @Override
        public void close() throws InterruptedException {
            loop.callSoonThreadsafe(loop::stop);
            thread.join();
            loop.close();
        }
    }

    // ------------------------------------------------------------------ runInExecutor, toThread

    @Test
    void runInExecutorRunsTheCallOnAnotherThreadWithoutBlockingTheLoop() {
        AsyncTesting.run(() -> {
            Thread loopThread = await(createLoopThreadProbe());
            CountDownLatch release = new CountDownLatch(1);
            Future<Thread> call = getRunningLoop().runInExecutor(() -> {
                release.await(5, TimeUnit.SECONDS);
                return Thread.currentThread();
            });
            sleep(Duration.ofMillis(10)); // the loop keeps running while the call blocks its thread
            assertFalse(call.isDone());
            release.countDown();
            Thread worker = await(call);
            assertNotSame(loopThread, worker);
            assertFalse(worker.isVirtual());
        });
    }

    private static Future<Thread> createLoopThreadProbe() {
        Future<Thread> f = Asyncio.createFuture();
        getRunningLoop().callSoon(() -> f.setResult(Thread.currentThread()));
        return f;
    }

    @Test
    void runInExecutorPassesTheResultAndTheVeryException() {
        AsyncTesting.run(() -> {
            assertEquals(6, await(getRunningLoop().runInExecutor(() -> 2 * 3)));
            IOException boom = new IOException("in a thread");
            Future<Object> failed = getRunningLoop().runInExecutor(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IOException.class, () -> await(failed)));
        });
    }

    @Test
    void runInExecutorUsesTheGivenExecutor() {
        AsyncTesting.run(() -> {
            Executor named = r -> Thread.ofPlatform().name("custom-executor").start(r);
            assertEquals("custom-executor",
                    await(getRunningLoop().runInExecutor(named, () -> Thread.currentThread().getName())));
        });
    }

    @Test
    void setDefaultExecutorIsUsedByRunInExecutorAndToThreadAndShutDownByTheLoop() {
        java.util.concurrent.ExecutorService custom = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("custom-default").daemon().unstarted(r));
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            loop.setDefaultExecutor(custom);
            assertEquals("custom-default", await(loop.runInExecutor(() -> Thread.currentThread().getName())));
            assertEquals("custom-default", toThread(() -> Thread.currentThread().getName()));
            loop.shutdownDefaultExecutor(java.time.Duration.ofSeconds(5));
            assertTrue(custom.isShutdown(), "the loop shut the executor it was given down");
            assertThrows(IllegalStateException.class, () -> loop.setDefaultExecutor(custom));
        });
    }

    @Test
    void toThreadReturnsTheResultAndThrowsTheVeryException() {
        AsyncTesting.run(() -> {
            assertEquals("computed", toThread(() -> "computed"));
            IllegalStateException boom = new IllegalStateException("thread failed");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> toThread(() -> {
                throw boom;
            })));
        });
    }

    @Test
    void executorThreadsAreOutsideTheLoop() {
        AsyncTesting.run(() -> {
            assertEquals(null, toThread(Asyncio::currentTask));
            Throwable e = toThread(() -> {
                try {
                    createTask(() -> 1);
                    return null;
                } catch (Throwable x) {
                    return x;
                }
            });
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
        });
    }

    @Test
    void toThreadCallsRunConcurrently() {
        AsyncTesting.run(() -> {
            CountDownLatch both = new CountDownLatch(2);
            Task<Boolean> a = createTask(() -> toThread(() -> {
                both.countDown();
                return both.await(5, TimeUnit.SECONDS);
            }));
            Task<Boolean> b = createTask(() -> toThread(() -> {
                both.countDown();
                return both.await(5, TimeUnit.SECONDS);
            }));
            assertEquals(List.of(true, true), await(gather(a, b)));
        });
    }

    @Test
    void cancellingATaskAwaitingToThreadRaisesAtOnceWhileTheThreadRunsToCompletion() {
        AsyncTesting.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean threadFinished = new AtomicBoolean();
            Task<String> t = createTask(() -> toThread(() -> {
                started.countDown();
                release.await(5, TimeUnit.SECONDS);
                threadFinished.set(true);
                return "dropped";
            }));
            toThread(() -> started.await(5, TimeUnit.SECONDS));
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertFalse(threadFinished.get(), "the task waited for the thread");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!threadFinished.get() && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(5));
            }
            assertTrue(threadFinished.get(), "the thread was stopped");
            sleep(Duration.ofMillis(10)); // its completion reaches the loop and is dropped
        });
    }

    @Test
    void exceptionOfACancelledExecutorCallGoesToTheExceptionHandler() {
        IllegalStateException boom = new IllegalStateException("failed after its awaiter left");
        List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());
        try (Runner runner = Runner.create()) {
            runner.getLoop().setExceptionHandler((l, c) -> reports.add(c));
            runner.run(() -> {
                CountDownLatch release = new CountDownLatch(1);
                Task<Object> t = createTask(() -> toThread(() -> {
                    release.await(5, TimeUnit.SECONDS);
                    throw boom;
                }));
                sleep(Duration.ofMillis(5));
                t.cancel();
                assertThrows(CancelledError.class, () -> await(t));
                release.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (reports.isEmpty() && System.nanoTime() < deadline) {
                    sleep(Duration.ofMillis(5));
                }
            });
        }
        assertEquals(1, reports.size(), reports.toString());
        assertSame(boom, reports.get(0).exception());
    }

    @Test
    void runInExecutorAfterShutdownDefaultExecutorThrows() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            assertEquals(1, await(loop.runInExecutor(() -> 1)));
            loop.shutdownDefaultExecutor(null);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runInExecutor(() -> 2));
            assertEquals("Executor shutdown has been called", e.getMessage());
        });
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            loop.shutdownDefaultExecutor(java.time.Duration.ofSeconds(1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runInExecutor(() -> 2));
            assertEquals("Executor shutdown has been called", e.getMessage());
        });
    }

    @Test
    void shutdownDefaultExecutorFromATaskWaitsForRunningCallsWithoutBlockingTheLoop() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            CountDownLatch release = new CountDownLatch(1);
            Future<Boolean> call = loop.runInExecutor(() -> release.await(5, TimeUnit.SECONDS));
            Task<Void> releaser = createTask(() -> {
                sleep(Duration.ofMillis(20));
                release.countDown();
            });
            long t0 = loop.time();
            loop.shutdownDefaultExecutor(null); // the releaser must run meanwhile, or the call waits 5 s
            assertTrue(releaser.isDone());
            assertTrue(loop.time() - t0 < TimeUnit.SECONDS.toNanos(4), "the loop was blocked during the shutdown");
            assertTrue(await(call), "the call was released by the task, not by its own timeout");
        });
    }

    // ------------------------------------------------------------------ runCoroutineThreadsafe

    @Test
    void runCoroutineThreadsafeDeliversTheResultToAnotherThread() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CompletableFuture<String> f = runCoroutineThreadsafe(() -> {
                sleep(Duration.ofMillis(5));
                return Thread.currentThread().isVirtual() ? "ran as a task" : "not a task";
            }, lt.loop);
            assertEquals("ran as a task", f.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void runCoroutineThreadsafeDeliversTheVeryException() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            IOException boom = new IOException("from the coroutine");
            CompletableFuture<Object> f = runCoroutineThreadsafe(() -> {
                throw boom;
            }, lt.loop);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
        }
    }

    @Test
    void cancellingTheFutureOfRunCoroutineThreadsafeCancelsTheTask() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CompletableFuture<String> cancelled = new CompletableFuture<>();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> f = runCoroutineThreadsafe(() -> {
                started.countDown();
                try {
                    sleep(Duration.ofMillis(10_000));
                } catch (CancelledError e) {
                    cancelled.complete("task cancelled");
                    throw e;
                }
                return null;
            }, lt.loop);
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(f.cancel(true));
            assertEquals("task cancelled", cancelled.get(5, TimeUnit.SECONDS));
            assertThrows(CancellationException.class, f::join);
        }
    }

    @Test
    void runCoroutineThreadsafeRejectsANullCoroutineAtOnce() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            assertThrows(NullPointerException.class, () -> runCoroutineThreadsafe(null, lt.loop));
        }
    }

    @Test
    void runCoroutineThreadsafeOnAClosedLoopThrows() {
        EventLoop loop = Asyncio.newEventLoop();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runCoroutineThreadsafe(() -> 1, loop));
        assertEquals("Event loop is closed", e.getMessage());
    }

    @Test
    void futureGetFromAnotherThreadWaitsForATaskOfARunningLoop() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CompletableFuture<Task<String>> created = new CompletableFuture<>();
            lt.loop.callSoonThreadsafe(() -> created.complete(lt.loop.createTask(() -> {
                sleep(Duration.ofMillis(20));
                return "via get()";
            })));
            Task<String> t = created.get(5, TimeUnit.SECONDS);
            assertEquals("via get()", t.get(5, TimeUnit.SECONDS));
            assertTrue(t.isDone());
        }
    }

    @Test
    void taskCancelFromAnotherThreadIsPassedToTheLoop() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CompletableFuture<Task<String>> created = new CompletableFuture<>();
            lt.loop.callSoonThreadsafe(() -> created.complete(lt.loop.createTask(() -> {
                sleep(Duration.ofMillis(10_000));
                return "slept";
            })));
            Task<String> t = created.get(5, TimeUnit.SECONDS);
            assertTrue(t.cancel(true));
            assertThrows(CancellationException.class, () -> t.get(5, TimeUnit.SECONDS));
            assertTrue(t.isCancelled());
        }
    }

    // ------------------------------------------------------------------ wrapFuture, await(CompletionStage)

    @Test
    void wrapFutureCopiesTheResultOntoTheLoop() {
        AsyncTesting.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> wrapped = wrapFuture(cf);
            assertSame(getRunningLoop(), wrapped.getLoop());
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                cf.complete("from a thread");
            });
            assertEquals("from a thread", await(wrapped));
        });
    }

    @Test
    void wrapFutureCopiesTheVeryExceptionUnwrappingCompletionException() {
        AsyncTesting.run(() -> {
            IOException boom = new IOException("failed stage");
            CompletableFuture<String> failed = CompletableFuture.failedFuture(boom);
            assertSame(boom, assertThrows(IOException.class, () -> await(wrapFuture(failed))));
            IllegalStateException inner = new IllegalStateException("in a dependent stage");
            CompletableFuture<String> dependent = CompletableFuture.completedFuture("x").thenApply(x -> {
                throw inner;
            });
            assertSame(inner, assertThrows(IllegalStateException.class, () -> await(wrapFuture(dependent))));
        });
    }

    @Test
    void cancelledCompletableFutureCancelsTheWrapper() {
        AsyncTesting.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> wrapped = wrapFuture(cf);
            cf.cancel(false);
            assertThrows(CancelledError.class, () -> await(wrapped));
            assertTrue(wrapped.isCancelled());
        });
    }

    @Test
    void cancellingTheWrapperCancelsTheCompletableFuture() {
        AsyncTesting.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> wrapped = wrapFuture(cf);
            assertTrue(wrapped.cancel());
            sleep(Duration.ZERO);
            assertTrue(cf.isCancelled());
        });
    }

    @Test
    void awaitingACompletionStageSuspendsOnlyTheCurrentTask() {
        AsyncTesting.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            List<String> events = new ArrayList<>();
            Task<Void> other = createTask(() -> {
                events.add("other ran");
                cf.completeAsync(() -> "completed elsewhere");
            });
            assertEquals("completed elsewhere", await(cf));
            await(other);
            assertEquals(List.of("other ran"), events);
        });
    }

    // ------------------------------------------------------------------ JDK blocking calls inside a task

    /**
     * Runs a blocking JDK call in task A while task B ticks every few milliseconds, and returns
     * the event order. {@code block} is called in A after {@code aboutToBlock} counts down; a
     * helper thread ends the blocking via {@code release} 150 ms after that.
     */
    private static List<String> blockingCallAgainstATicker(Runnable block, Runnable release) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch aboutToBlock = new CountDownLatch(1);
        Thread releaser = Thread.ofPlatform().start(() -> {
            try {
                aboutToBlock.await();
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            }
            release.run();
        });
        AsyncTesting.run(() -> {
            AtomicBoolean aDone = new AtomicBoolean();
            Task<Void> a = createTask(() -> {
                aboutToBlock.countDown();
                block.run();
                events.add("blocking call returned");
                aDone.set(true);
            });
            Task<Void> b = createTask(() -> {
                for (int i = 0; i < 500 && !aDone.get(); i++) {
                    events.add("tick");
                    sleep(Duration.ofMillis(10));
                }
            });
            await(gather(a, b));
        });
        try {
            releaser.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return events;
    }

    private static void assertLoopFreeOnlyOnTheFastPath(List<String> events) {
        int returned = events.indexOf("blocking call returned");
        assertTrue(returned >= 0, events.toString());
        long ticksWhileBlocked = events.subList(0, returned).stream().filter("tick"::equals).count();
        if (Drivers.mode().equals("fast")) {
            assertTrue(ticksWhileBlocked >= 3,
                    "fast path: the blocking call parked only its task, yet the ticker ran " + ticksWhileBlocked
                            + " times: " + events);
        } else {
            assertEquals(0, ticksWhileBlocked,
                    "compatibility path (documented limitation): the blocking call holds the loop: " + events);
        }
    }

    @Test
    void threadSleepInATaskParksOnlyThatTaskOnTheFastPath() {
        List<String> events = blockingCallAgainstATicker(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, () -> { });
        assertLoopFreeOnlyOnTheFastPath(events);
    }

    @Test
    void blockingSocketReadInATaskParksOnlyThatTaskOnTheFastPath() throws IOException {
        InetAddress localhost = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, localhost);
             Socket client = new Socket(localhost, server.getLocalPort());
             Socket peer = server.accept()) {
            InputStream in = client.getInputStream();
            OutputStream out = peer.getOutputStream();
            AtomicReference<Integer> read = new AtomicReference<>();
            List<String> events = blockingCallAgainstATicker(() -> {
                try {
                    read.set(in.read());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, () -> {
                try {
                    out.write(42);
                    out.flush();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(42, read.get());
            assertLoopFreeOnlyOnTheFastPath(events);
        }
    }

    @Test
    void waitingForAJavaUtilConcurrentLockInATaskParksOnlyThatTaskOnTheFastPath() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch releaseLock = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            try {
                held.countDown();
                releaseLock.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // release
            } finally {
                lock.unlock();
            }
        });
        assertTrue(held.await(5, TimeUnit.SECONDS));
        List<String> events = blockingCallAgainstATicker(() -> {
            lock.lock();
            lock.unlock();
        }, releaseLock::countDown);
        holder.join();
        assertLoopFreeOnlyOnTheFastPath(events);
    }
}
