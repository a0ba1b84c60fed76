package io.asyncio4j.internal.ops;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.scope.CancelScopeImpl;
import io.asyncio4j.internal.task.CancelHook;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.util.concurrent.Callable;

/*
 * Implementation overview
 *
 * onCancel(abort, body): the body runs in the calling task with a CancelHook registered. When a
 * cancellation reaches the task (TaskImpl.cancel, a cancelled scope), the hook submits `abort` to
 * the loop's default executor; it runs there, concurrently with the body, which is blocked in a
 * JDK call on the task's own virtual thread. After the body, the task waits (shielded) for the
 * abort to finish, so that no abort is still in flight once onCancel returns (a late
 * Statement.cancel would hit the connection's next statement), then throws the pending
 * cancellation with the body's own exception suppressed in it.
 *
 * The fast driver is what makes this work for JDK calls: the task's virtual thread unmounts in
 * the JDK call and the loop goes on. With the compatibility driver the blocked task holds the
 * loop thread, so nothing can cancel it until the call returns: the hook fires only while the
 * body is suspended at one of the loop's own suspension points.
 */

/** Asyncio.onCancel: a blocking call that a cancellation reaches while it is blocked. */
public final class OnCancel {
    private OnCancel() {
    }

    /** The hook of one onCancel call: starts the abort on the loop's executor when it fires. */
    private static final class AbortHook extends CancelHook {
        private final EventLoopImpl loop;
        private final ThrowingRunnable abort;
        /** The abort call once started; loop thread only. */
        FutureImpl<Void> running;

        AbortHook(TaskImpl<?> task, ThrowingRunnable abort) {
            super(task);
            this.loop = task.loop();
            this.abort = abort;
        }

        @Override
        protected void onCancelled() {
            Callable<Void> call = () -> {
                abort.run();
                return null;
            };
            try {
                running = loop.runInExecutor(null, call, false);
            } catch (IllegalStateException executorShutDown) {
                // the default executor was shut down: the blocked call must still be reached
                FutureImpl<Void> f = new FutureImpl<>(loop);
                running = f;
                Thread.ofPlatform().daemon().name("asyncio4j-abort").start(() -> {
                    Throwable error = null;
                    try {
                        abort.run();
                    } catch (Throwable e) {
                        error = e;
                    }
                    Throwable err = error;
                    loop.enqueueThreadsafe(() -> {
                        if (err != null) {
                            f.setException(err);
                        } else {
                            f.setResult(null);
                        }
                    });
                });
            }
        }
    }

    /**
     * Runs {@code body} in the current task; see {@code Asyncio.onCancel}.
     *
     * @param <T> the result type
     * @param abort what makes the blocked body return, run on the loop's executor
     * @param body the blocking call
     * @return the body's result
     */
    public static <T> T run(ThrowingRunnable abort, Callable<T> body) {
        if (abort == null) {
            throw new NullPointerException("abort");
        }
        if (body == null) {
            throw new NullPointerException("body");
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("onCancel()");
        t.checkpointBeforeSuspend();
        AbortHook hook = new AbortHook(t, abort);
        T value = null;
        Throwable error = null;
        t.pushCancelHook(hook);
        try {
            value = body.call();
        } catch (Throwable e) {
            error = e;
        } finally {
            t.popCancelHook(hook);
        }
        Throwable abortError = null;
        if (hook.running != null) {
            abortError = waitForAbort(hook.running);
        }
        if (t.cancellationPending()) {
            Throwable cancellation = t.takeCancellation(null);
            if (cancellation != null) {
                suppress(cancellation, error);
                suppress(cancellation, abortError);
                throw Sneaky.rethrow(cancellation);
            }
        }
        if (error != null) {
            suppress(error, abortError);
            throw Sneaky.rethrow(error);
        }
        if (abortError != null) {
            // the cancellation was withdrawn (uncancel) and the body succeeded: keep the failure
            t.loop().callExceptionHandler(ExceptionContext.of("the abort of onCancel() failed", abortError));
        }
        return value;
    }

    /** Waits for the abort to finish, shielded: nothing may leave while it is still in flight. */
    private static Throwable waitForAbort(FutureImpl<Void> running) {
        try (CancelScopeImpl _ = CancelScopeImpl.openShielded()) {
            Await.await(running);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    private static void suppress(Throwable into, Throwable other) {
        if (other != null && other != into) {
            into.addSuppressed(other);
        }
    }
}
