package io.asyncio4j.internal.loop;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.task.Contexts;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Implementation overview
 *
 * asyncio's run_in_executor: a call runs on another thread and its outcome comes back to the loop
 * with callSoonThreadsafe. The default executor is created on first use (a bounded pool of daemon
 * threads, min(32, cores + 4), as asyncio's), replaced by setDefaultExecutor, shut down by
 * shutdownDefaultExecutor and by close(). `inFlight` counts calls whose outcome has not reached
 * the loop yet: a virtual clock does not jump while a thread still works for
 * the loop. `executor` is volatile and its creation synchronized: toThread may be called from a
 * callback while another thread reads it.
 */

/** The loop's executor calls: run_in_executor, to_thread, and the default executor's life. */
final class DefaultExecutor {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");

    private final EventLoopImpl loop;
    private volatile ExecutorService executor;
    private volatile boolean shutdown;
    private final AtomicInteger inFlight = new AtomicInteger();

    DefaultExecutor(EventLoopImpl loop) {
        this.loop = loop;
    }

    /** {@return how many executor calls have not reported back to the loop yet} */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Runs a blocking call on an executor; with {@code copyContext}, in a copy of the caller's
     * contextvars context (asyncio.to_thread), else in the thread's own (run_in_executor).
     */
    <T> FutureImpl<T> run(Executor executor, Callable<T> call, boolean copyContext) {
        if (call == null) {
            throw new NullPointerException("call");
        }
        if (copyContext) {
            Object[] ctx = Contexts.current();
            Callable<T> plain = call;
            call = () -> Contexts.callIn(ctx, plain);
        }
        Executor ex = executor != null ? executor : defaultExecutor();
        FutureImpl<T> f = new FutureImpl<>(loop);
        Callable<T> work = call;
        Runnable job = () -> {
            T value = null;
            Throwable error = null;
            try {
                value = work.call();
            } catch (Throwable e) {
                error = e;
            }
            T v = value;
            Throwable err = error;
            try {
                loop.enqueueThreadsafe(() -> {
                    inFlight.decrementAndGet();
                    completeFromThread(f, v, err);
                });
            } catch (IllegalStateException closedLoop) {
                if (err != null) {
                    loop.errors().fromAnyThread(ExceptionContext.of("executor call failed after its loop closed", err));
                }
            }
        };
        try {
            ex.execute(job);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(shutdown && executor == null
                    ? "Executor shutdown has been called" : "executor rejected the call", e);
        }
        inFlight.incrementAndGet();
        return f;
    }

    /**
     * Completes a future with what a thread computed. If the future was cancelled meanwhile, a
     * result is dropped and an exception goes to the exception handler, so no error is lost.
     */
    private <T> void completeFromThread(FutureImpl<T> f, T value, Throwable error) {
        if (f.isDone()) {
            if (error != null) {
                loop.callExceptionHandler(new ExceptionContext("a cancelled executor call failed", error, f, null,
                        List.of()));
            }
            return;
        }
        if (error != null) {
            f.setException(error);
        } else {
            f.setResult(value);
        }
    }

    private ExecutorService defaultExecutor() {
        ExecutorService ex = executor;
        if (ex == null) {
            synchronized (this) {
                ex = executor;
                if (ex == null) {
                    if (shutdown) {
                        throw new IllegalStateException("Executor shutdown has been called");
                    }
                    int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
                    AtomicInteger count = new AtomicInteger();
                    ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "asyncio4j-executor-" + count.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    tpe.allowCoreThreadTimeOut(true);
                    executor = ex = tpe;
                }
            }
        }
        return ex;
    }

    synchronized void set(ExecutorService ex) {
        if (ex == null) {
            throw new NullPointerException("executor");
        }
        if (shutdown) {
            throw new IllegalStateException("Executor shutdown has been called");
        }
        executor = ex;
    }

    /** Shuts the executor down and waits for it; from a task, without blocking the loop. */
    void shutdown(long limitNs) {
        shutdown = true;
        ExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        TaskImpl<?> t = TaskImpl.current();
        if (t != null && t.loop() == loop) {
            FutureImpl<Boolean> done = new FutureImpl<>(loop);
            Thread waiter = new Thread(() -> {
                boolean finished;
                try {
                    finished = ex.awaitTermination(limitNs, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    finished = false;
                }
                boolean f = finished;
                loop.enqueueThreadsafe(() -> {
                    if (!done.isDone()) {
                        done.setResult(f);
                    }
                });
            }, "asyncio4j-executor-shutdown");
            waiter.setDaemon(true);
            waiter.start();
            t.awaitFuture(done);
            warnIfNotTerminated(done.result());
        } else {
            try {
                warnIfNotTerminated(ex.awaitTermination(limitNs, TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The loop closed: no more calls; running ones finish on their own. */
    void closeNow() {
        ExecutorService ex = executor;
        shutdown = true;
        if (ex != null) {
            ex.shutdown();
        }
    }

    private static void warnIfNotTerminated(boolean terminated) {
        if (!terminated) {
            LOG.log(System.Logger.Level.WARNING, "the default executor did not finish joining its threads "
                    + "within the timeout");
        }
    }
}
