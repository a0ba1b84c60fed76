package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.scope.TimeoutImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.time.Duration;
import java.util.concurrent.Callable;

/** asyncio.wait_for, on a coroutine run in the caller's task or on a future. */
public final class WaitFor {
    private WaitFor() {
    }

    /**
     * asyncio.wait_for on a coroutine: runs it in the current task under a timeout.
     *
     * @param <T> the result type
     * @param body the coroutine
     * @param timeout the timeout, or {@code null} for none
     * @return its result
     */
    public static <T> T call(Callable<T> body, Duration timeout) {
        TaskImpl<?> t = TaskImpl.currentOrThrow("waitFor()");
        if (timeout == null) {
            return Sneaky.call(body);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new TimeoutError("timed out", null, t.loop().newCancelledError(null));
        }
        try (TimeoutImpl _ = TimeoutImpl.open(Durations.deadlineAfter(t.loop().time(), timeout), true)) {
            return Sneaky.call(body);
        }
    }

    /**
     * asyncio.wait_for on a future: on timeout cancels it and waits for it to finish.
     *
     * @param <T> the result type
     * @param future the future
     * @param timeout the timeout, or {@code null} for none
     * @return its result
     */
    public static <T> T await(Future<T> future, Duration timeout) {
        FutureImpl<T> f = FutureImpl.of(future);
        if (timeout == null || f.isDone()) {
            return Await.await(f);
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("waitFor()");
        long deadline = Durations.deadlineAfter(t.loop().time(), timeout.isNegative() ? Duration.ZERO : timeout);
        try (TimeoutImpl _ = TimeoutImpl.open(deadline, true)) {
            return Await.await(f);
        }
    }
}
