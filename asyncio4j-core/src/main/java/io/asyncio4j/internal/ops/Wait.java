package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.ReturnWhen;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.WaitResult;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/** asyncio.wait: the done and the pending futures, when one, the first failing or all are done. */
public final class Wait {
    private Wait() {
    }

    /**
     * asyncio.wait.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param when when to return
     * @param timeout the timeout, or {@code null} for none
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> of(Collection<? extends Future<T>> futures, ReturnWhen when, Duration timeout) {
        if (when == null) {
            throw new NullPointerException("returnWhen");
        }
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("Set of Futures is empty.");
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("waitFutures()");
        EventLoopImpl loop = t.loop();
        LinkedHashSet<FutureImpl<T>> set = new LinkedHashSet<>();
        for (Future<T> f : futures) {
            set.add(FutureImpl.ofLoop(f, loop, "waitFutures()"));
        }
        FutureImpl<Void> waiter = new FutureImpl<>(loop);
        List<Future<T>> completed = new ArrayList<>();
        int[] counter = {set.size()};
        Consumer<Future<?>> onCompletion = f -> {
            @SuppressWarnings("unchecked")
            Future<T> ft = (Future<T>) f;
            completed.add(ft);
            counter[0]--;
            FutureImpl<?> fi = (FutureImpl<?>) f;
            if (counter[0] <= 0 || when == ReturnWhen.FIRST_COMPLETED
                    || (when == ReturnWhen.FIRST_EXCEPTION && fi.failure() != null)) {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            }
        };
        for (FutureImpl<T> f : set) {
            f.addCallback(onCompletion);
        }
        TimerHandle timer = null;
        if (timeout != null) {
            timer = loop.callAt(Durations.deadlineAfter(loop.time(), timeout), () -> {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            });
        }
        try {
            t.awaitFuture(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (FutureImpl<T> f : set) {
                f.removeCallback(onCompletion);
            }
        }
        LinkedHashSet<Future<T>> done = new LinkedHashSet<>();
        for (Future<T> f : completed) {
            done.add(f);
        }
        LinkedHashSet<Future<T>> pending = new LinkedHashSet<>();
        for (FutureImpl<T> f : set) {
            if (f.isDone()) {
                done.add(f);
            } else {
                pending.add(f);
            }
        }
        return new WaitResult<>(done, pending);
    }
}
