package io.asyncio4j.internal.group;

import io.asyncio4j.CancelScope;
import io.asyncio4j.CancelledError;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.ops.Bridges;
import io.asyncio4j.internal.scope.CancelScopeImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * How the group's operations wait for other loops: a task suspends (checking for cancellation),
 * a thread that runs no loop blocks, a callback on a loop's thread cannot wait. The waits are on
 * a copy of the future, so that a cancelled waiter leaves the future itself alone.
 */
public final class Waiting {
    private Waiting() {
    }

    /** {@return whether the caller may wait: it is a task, or a thread that runs no loop} */
    public static boolean canWait() {
        return TaskImpl.current() != null || EventLoopImpl.runningOrNull() == null;
    }

    /**
     * Fails unless the caller may wait.
     *
     * @param what the operation, for the message
     */
    public static void checkCanWait(String what) {
        if (!canWait()) {
            throw new IllegalStateException(what + " waits for the loops of a group: call it from a task, or from a "
                    + "thread that runs no event loop, not from a callback on a loop's thread");
        }
    }

    /**
     * Waits for a future: suspends a task (checking for cancellation), blocks a thread.
     *
     * @param <T> the result type
     * @param f the future
     * @param what the operation, for messages
     * @return its result
     * @throws CancelledError if the task was cancelled, or the future was
     * @throws IllegalStateException if the caller may not wait, or the waiting thread was interrupted
     */
    public static <T> T await(CompletableFuture<T> f, String what) {
        if (f.isDone() && TaskImpl.current() == null) {
            return outcome(f); // nothing to wait for: fine in a callback too
        }
        checkCanWait(what);
        if (TaskImpl.current() != null) {
            return Await.await(Bridges.wrapFuture((CompletionStage<T>) f.copy()));
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting: " + what, e);
        } catch (ExecutionException | CancellationException e) {
            // the outcome below
        }
        return outcome(f);
    }

    private static <T> T outcome(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            throw new AssertionError("done futures do not wait", e);
        } catch (ExecutionException e) {
            throw Sneaky.rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new CancelledError(e.getMessage());
        }
    }

    /**
     * Waits for a future that will complete soon whatever happens (the group's own steps):
     * shielded from cancellation in a task (a pending one is delivered at the next suspension
     * point), uninterruptibly on a thread (the interrupt status is kept).
     *
     * @param f the future
     * @param what the operation, for messages
     */
    public static void awaitShielded(CompletableFuture<?> f, String what) {
        checkCanWait(what);
        if (TaskImpl.current() != null) {
            CancelScope shield = CancelScopeImpl.openShielded();
            try {
                Await.await(Bridges.wrapFuture((CompletionStage<Object>) f.copy().handle((v, e) -> null)));
            } finally {
                shield.close();
            }
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                f.handle((v, e) -> null).get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // handle() never fails
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
