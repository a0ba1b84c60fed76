package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.scope.TimeoutImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.time.Duration;

/** asyncio's {@code await} of a future, and waiting for one with a time limit. */
public final class Await {
    private Await() {
    }

    /**
     * Waits for a future from a task; see {@code Asyncio.await}. Suspends unless it is done;
     * checks for cancellation.
     *
     * @param <T> the result type
     * @param future the future
     * @return its result
     * @throws IllegalArgumentException if the future belongs to another loop than the task's
     */
    public static <T> T await(Future<T> future) {
        FutureImpl<T> f = FutureImpl.of(future);
        if (f.isDone()) {
            return f.result();
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("await()");
        if (f.loop() != t.loop()) {
            throw FutureImpl.wrongLoop("await() in " + t, f, t.loop());
        }
        if (f == t) {
            throw new IllegalStateException("Task cannot await on itself: " + t);
        }
        t.awaitFuture(f);
        return f.result();
    }

    /**
     * asyncio.sleep: suspends the current task for a time; zero or less yields once.
     *
     * @param delay how long
     */
    public static void sleep(Duration delay) {
        if (delay == null) {
            throw new NullPointerException("delay");
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("sleep()");
        if (delay.isZero() || delay.isNegative()) {
            t.yieldOnce();
        } else {
            t.sleepUntil(Durations.deadlineAfter(t.loop().time(), delay));
        }
    }

    /**
     * Waits, inside a task, until a future is done or the time is up; does not cancel it.
     *
     * @param f the future
     * @param timeoutNs how long
     * @return whether it is done
     */
    public static boolean awaitDoneWithin(FutureImpl<?> f, long timeoutNs) {
        TaskImpl<?> t = TaskImpl.currentOrThrow("get(timeout)");
        TimeoutImpl s = TimeoutImpl.open(t.loop().time() + timeoutNs, true);
        boolean timedOut = false;
        try {
            t.awaitFuture(Shield.of(f));
        } catch (TimeoutError e) {
            if (e.timeout() != s) {
                throw e;
            }
            timedOut = true;
        } finally {
            s.close();
        }
        return !timedOut;
    }
}
