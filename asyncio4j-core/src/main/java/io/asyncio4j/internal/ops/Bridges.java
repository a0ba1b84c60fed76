package io.asyncio4j.internal.ops;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Futures of other libraries on the loop: asyncio's wrap_future, for CompletionStages and j.u.c futures. */
public final class Bridges {
    private Bridges() {
    }

    /**
     * Wraps a {@link CompletionStage} in a future of the running loop; cancelling the future
     * cancels the stage when it is a {@link java.util.concurrent.Future}.
     *
     * @param <T> the result type
     * @param stage the stage
     * @return the future
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        EventLoopImpl loop = EventLoopImpl.running();
        FutureImpl<T> f = new FutureImpl<>(loop);
        loop.expectOutsideCompletion(); // another thread will complete it: the loop is not deadlocked
        stage.whenComplete((v, e) -> loop.callSoonThreadsafe(() -> {
            loop.outsideCompletionArrived();
            if (f.isDone()) {
                return;
            }
            if (e == null) {
                f.setResult(v);
                return;
            }
            Throwable cause = e;
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof java.util.concurrent.CancellationException) {
                f.cancel(cause.getMessage());
            } else {
                f.setException(cause);
            }
        }));
        if (stage instanceof java.util.concurrent.Future<?> jf) {
            f.addCallback((Consumer<Future<?>>) x -> {
                if (x.isCancelled()) {
                    jf.cancel(true);
                }
            });
        }
        return f;
    }

    /**
     * Schedules a coroutine on a loop from any thread; see {@code Asyncio.runCoroutineThreadsafe}.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @param loop the loop
     * @return a future of the task's outcome; cancelling it cancels the task
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Callable<T> coroutine, EventLoop loop) {
        if (coroutine == null) {
            throw new NullPointerException("coroutine");
        }
        if (loop == null) {
            throw new NullPointerException("loop");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (result.isCancelled()) {
                return;
            }
            Task<T> task;
            try {
                task = loop.createTask(coroutine);
            } catch (Throwable e) {
                result.completeExceptionally(e);
                return;
            }
            FutureImpl.of(task).bridgeTo(result);
        });
        return result;
    }

    /**
     * Wraps any {@link java.util.concurrent.Future}: a {@link CompletableFuture} directly, another
     * by waiting for it on the default executor.
     *
     * @param <T> the result type
     * @param future the future
     * @return a future of the running loop
     */
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        if (future instanceof FutureImpl<T> f) {
            return f;
        }
        if (future instanceof CompletionStage<?>) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> stage = (CompletionStage<T>) future;
            return wrapFuture(stage);
        }
        EventLoopImpl loop = EventLoopImpl.running();
        Future<T> f = loop.runInExecutor(() -> {
            try {
                return future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw Sneaky.rethrow(e.getCause());
            }
        });
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                future.cancel(true);
            }
        });
        return f;
    }
}
