package io.asyncio4j.internal.loop;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Future;
import io.asyncio4j.Runner;
import io.asyncio4j.ThrowingRunnable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.task.Contexts;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.ops.Gather;

/** The one implementation of {@link Runner}; {@code Asyncio.run} is one run and a close. */
public final class RunnerImpl implements Runner {
    /** Go's rule, on unless -Dasyncio4j.deadlockDetection=false: a run whose tasks can never wake fails. */
    private static final boolean DEADLOCK_DETECTION =
            !"false".equals(System.getProperty("asyncio4j.deadlockDetection"));
    /** How long a run that looks deadlocked waits for a thread of the user's to call in. */
    private static final long DEADLOCK_GRACE_NS = Long.getLong("asyncio4j.deadlockGraceMillis", 1000) * 1_000_000L;
    private final boolean debug;
    private final LoopClock clock;
    private EventLoopImpl loop;
    private boolean closed;
    /** One context for every run, as asyncio's Runner keeps (R4): what a run sets, the next sees. */
    private Object[] context = Contexts.current();

    /**
     * Creates a runner.
     *
     * @param debug whether its loop runs in debug mode
     */
    public RunnerImpl(boolean debug) {
        this(debug, LoopClock.SYSTEM);
    }

    /**
     * Creates a runner whose loop reads time from a clock (a test's virtual clock).
     *
     * @param debug whether its loop runs in debug mode
     * @param clock the loop's clock
     */
    public RunnerImpl(boolean debug, LoopClock clock) {
        this.debug = debug;
        this.clock = clock;
    }

    @Override
    public synchronized EventLoop getLoop() {
        return loop();
    }

    private EventLoopImpl loop() {
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (loop == null) {
            loop = new EventLoopImpl(clock);
            if (debug) {
                loop.setDebug(true);
            }
        }
        return loop;
    }

    @Override
    public void run(ThrowingRunnable main) {
        if (main == null) {
            throw new NullPointerException("main");
        }
        run(() -> {
            main.run();
            return null;
        });
    }

    @Override
    public <T> T run(Callable<T> main) {
        if (main == null) {
            throw new NullPointerException("main");
        }
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (EventLoopImpl.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() / Runner.run() cannot be called from a running event loop");
        }
        if (Thread.currentThread().isVirtual()) {
            return runOnPlatformThread(main);
        }
        EventLoopImpl l = loop();
        TaskImpl<T> task = l.tasks().newTask(null, main);
        task.setContext(context);
        l.tasks().start(task, false);
        SigintHandler sigint = SigintHandler.install(l, task);
        if (DEADLOCK_DETECTION) {
            l.setDeadlockGrace(DEADLOCK_GRACE_NS);
        }
        try {
            return l.runUntilComplete(task);
        } catch (CancelledError e) {
            if (sigint != null && sigint.fired() && task.uncancel() == 0) {
                close();
                sigint.reraise();
            }
            throw e;
        } finally {
            l.setDeadlockGrace(-1);
            context = task.context();
            if (sigint != null) {
                sigint.restore();
            }
        }
    }

    /** A loop runs on a platform thread: a virtual caller lends one for the run. */
    private <T> T runOnPlatformThread(Callable<T> main) {
        Object[] outcome = new Object[2];
        Thread t = Thread.ofPlatform().name("asyncio4j-loop").unstarted(() -> {
            try {
                outcome[0] = run(main);
            } catch (Throwable e) {
                outcome[1] = e;
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the event loop ran", e);
        }
        if (outcome[1] != null) {
            throw Sneaky.rethrow((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        EventLoopImpl l = loop;
        if (l != null && l.isRunning()) {
            throw new IllegalStateException("Cannot close a Runner from inside its own run");
        }
        closed = true;
        if (l == null) {
            return;
        }
        if (Thread.currentThread().isVirtual()) {
            Thread t = Thread.ofPlatform().name("asyncio4j-loop").unstarted(() -> shutdown(l));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        shutdown(l);
    }

    /**
     * Shuts a loop down as {@code Asyncio.run} does at its end, on the calling platform thread:
     * async generators closed, every remaining task cancelled and awaited (their failures
     * reported), the default executor shut down, the loop closed (the last even if a step fails).
     *
     * @param l a loop that is not running
     */
    public static void shutdown(EventLoopImpl l) {
        try {
            l.claimOwner();
            l.tasks().shutdownAsyncGenerators();
            cancelAllTasks(l);
            l.shutdownDefaultExecutor(Duration.ofSeconds(300));
        } finally {
            l.close();
        }
    }

    /** As asyncio.run: cancel every remaining task at once, await them together, report failures. */
    private static void cancelAllTasks(EventLoopImpl l) {
        List<TaskImpl<?>> tasks = l.tasks().liveTasks();
        if (tasks.isEmpty()) {
            return;
        }
        l.claimOwner();
        for (TaskImpl<?> t : tasks) {
            t.cancel((String) null);
        }
        Future<?> all = Gather.of(tasks, true);
        l.runUntilComplete(all);
        for (TaskImpl<?> t : tasks) {
            Throwable error = t.takeFailure();
            if (error != null) {
                l.callExceptionHandler(new ExceptionContext("unhandled exception during asyncio.run() shutdown",
                        error, t, null, List.of()));
            }
        }
    }
}
