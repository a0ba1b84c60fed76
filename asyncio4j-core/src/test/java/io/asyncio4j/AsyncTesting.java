package io.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.VirtualTime;
import io.asyncio4j.testing.VirtualClock;
import java.time.Duration;

/**
 * Test harness: runs a coroutine as the main task of a fresh loop, as {@link Asyncio#run} does,
 * and fails the test if the loop reported an error nobody expected (an unretrieved exception, a
 * failing callback) or if tasks were still running when the main task finished.
 *
 * {@snippet :
 * String r = AsyncTesting.run(() -> { sleep(Duration.ofMillis(1)); return "ok"; });
 * AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> ...); // errors the test expects
 * }
 */
public final class AsyncTesting {
    private AsyncTesting() {
    }

    /** What a loop reported to its exception handler during a run. */
    public static final class Reports {
        private final List<ExceptionContext> contexts = Collections.synchronizedList(new ArrayList<>());

        /** {@return the reports, in order} */
        public List<ExceptionContext> all() {
            synchronized (contexts) {
                return List.copyOf(contexts);
            }
        }

        /** {@return the messages of the reports} */
        public List<String> messages() {
            return all().stream().map(ExceptionContext::message).toList();
        }

        void add(ExceptionContext c) {
            contexts.add(c);
        }
    }

    /**
     * Runs a coroutine on a fresh loop; fails on any report or leaked task.
     *
     * @param <T> the result type
     * @param main the coroutine
     * @return its result
     */
    public static <T> T run(Callable<T> main) {
        return runOn(Runner.create(), main);
    }

    /**
     * Runs a coroutine on a fresh loop driven by an autojumping {@link VirtualClock}: timers fire
     * in deadline order as soon as nothing else can happen, so timing assertions are exact and
     * take no real time. Fails on any report or leaked task.
     *
     * @param <T> the result type
     * @param main the coroutine
     * @return its result
     */
    public static <T> T runVirtual(Callable<T> main) {
        return runOn(VirtualClock.autojump().newRunner(), main);
    }

    /**
     * Runs a coroutine that returns nothing on a virtual clock; see {@link #runVirtual(Callable)}.
     *
     * @param main the coroutine
     */
    public static void runVirtual(ThrowingRunnable main) {
        runVirtual(() -> {
            main.run();
            return null;
        });
    }

    /**
     * Moves the running loop's virtual clock without suspending: deadlines pass while the task
     * holds the loop, as a task busy for that long would make them.
     *
     * @param d how far
     */
    public static void advance(Duration d) {
        VirtualTime v = EventLoopImpl.running().virtualTime();
        if (v == null) {
            throw new IllegalStateException("advance() needs runVirtual");
        }
        v.advance(d.toNanos());
    }

    private static <T> T runOn(Runner runner, Callable<T> main) {
        Reports reports = new Reports();
        T result = runInto(runner, main, reports, true);
        if (!reports.all().isEmpty()) {
            fail("unexpected loop reports: " + describe(reports.all()));
        }
        return result;
    }

    /**
     * Runs a coroutine that returns nothing; see {@link #run(Callable)}.
     *
     * @param main the coroutine
     */
    public static void run(ThrowingRunnable main) {
        run(() -> {
            main.run();
            return null;
        });
    }

    /**
     * Runs a coroutine on a fresh loop and returns what the loop reported (the run's own result or
     * exception is ignored); leftover tasks are allowed and cancelled as asyncio.run does.
     *
     * @param main the coroutine
     * @return the reports, including those made while the loop closed
     */
    public static Reports runCollecting(ThrowingRunnable main) {
        Reports reports = new Reports();
        try {
            runInto(Runner.create(), () -> {
                main.run();
                return null;
            }, reports, false);
        } catch (Throwable ignored) {
            // the test looks at the reports
        }
        return reports;
    }

    private static <T> T runInto(Runner runner, Callable<T> main, Reports reports, boolean checkLeaks) {
        runner.getLoop().setExceptionHandler((loop, context) -> reports.add(context));
        try {
            T result = runner.run(() -> {
                T r = main.call();
                if (checkLeaks) {
                    List<Task<?>> others = new ArrayList<>(Asyncio.allTasks());
                    others.remove(Asyncio.currentTask());
                    if (!others.isEmpty()) {
                        for (Task<?> t : others) {
                            t.cancel();
                        }
                        fail("tasks still running when the main task finished: " + others);
                    }
                }
                return r;
            });
            return result;
        } finally {
            runner.close();
        }
    }

    private static String describe(List<ExceptionContext> contexts) {
        StringBuilder sb = new StringBuilder();
        for (ExceptionContext c : contexts) {
            sb.append("\n  ").append(c.message());
            if (c.exception() != null) {
                sb.append(": ").append(c.exception());
            }
        }
        return sb.toString();
    }

    /**
     * Records the order of events in a test and checks it step by step, as kotlinx's
     * {@code expect(n)}: each {@code expect(n)} must be the n-th call.
     */
    public static final class Steps {
        private int next = 1;

        /**
         * Checks that this is step {@code n}.
         *
         * @param n the expected step number
         */
        public void expect(int n) {
            assertEquals(next, n, "step out of order");
            next++;
        }

        /**
         * Checks that the last step was {@code n}.
         *
         * @param n the number of steps expected
         */
        public void finish(int n) {
            assertEquals(n + 1, next, "not every step happened");
        }
    }
}
