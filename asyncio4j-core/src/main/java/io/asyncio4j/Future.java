package io.asyncio4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The eventual result of an asynchronous operation, bound to one event loop: asyncio's
 * {@code Future}, which is also a {@link java.util.concurrent.Future}.
 *
 * <p>A future is pending, then done exactly once: with a result, with an exception, or cancelled.
 * A task waits for it with {@link Asyncio#await(Future)}, which returns the result or throws the
 * very exception the future holds. The asyncio methods ({@link #result()}, {@link #setResult},
 * {@link #cancel(String)}, {@link #addDoneCallback} and the rest) must be called on the loop's
 * thread, as in asyncio; the {@code java.util.concurrent.Future} methods may be called from any
 * thread: {@link #get()} blocks a foreign thread and suspends a task of the loop, and
 * {@link #cancel(boolean)} from another thread is passed to the loop.
 *
 * <p>Done callbacks never run synchronously: completion schedules each of them on the loop, in
 * registration order. An exception stored in a future that nobody retrieves is reported to the
 * loop's exception handler when the future is collected or the loop closes.
 *
 * @param <T> the result type
 */
public interface Future<T> extends java.util.concurrent.Future<T> {

    /**
     * Returns the result, or throws the stored exception. Never suspends.
     *
     * @return the result
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is not done
     */
    T result();

    /**
     * Returns the stored exception, or {@code null} when the future has a result. Never suspends.
     *
     * @return the exception, or {@code null}
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is not done
     */
    Throwable exception();

    /**
     * Marks the future done with a result and schedules its callbacks. Never suspends.
     *
     * @param value the result
     * @throws InvalidStateError if the future is already done
     */
    void setResult(T value);

    /**
     * Marks the future done with an exception and schedules its callbacks. Never suspends.
     *
     * @param error the exception; a {@link CancelledError} is stored like any other exception
     * @throws InvalidStateError if the future is already done
     */
    void setException(Throwable error);

    /**
     * Cancels the future with a message; see {@link #cancel(String)}. Never suspends.
     *
     * @return {@code true} if the future was pending and is now cancelled (or, for a task,
     *     cancellation was requested)
     */
    default boolean cancel() {
        return cancel((String) null);
    }

    /**
     * Cancels the future: a pending future becomes cancelled at once and schedules its callbacks;
     * a done one is left alone. Never suspends.
     *
     * @param message the message of the {@link CancelledError} its awaiters see, or {@code null}
     * @return {@code true} if the future was pending and is now cancelled
     */
    boolean cancel(String message);

    /**
     * Cancels the future as {@link #cancel(String)} does; the {@code java.util.concurrent.Future}
     * form, callable from any thread (from a foreign thread the request is passed to the loop and
     * the method returns {@code true} if the future was still pending). Never suspends.
     *
     * @param mayInterruptIfRunning ignored: tasks are cancelled at their next suspension point
     * @return {@code true} if the future was pending
     */
    @Override
    boolean cancel(boolean mayInterruptIfRunning);

    /** {@return whether the future is done: completed with a result or an exception, or cancelled} */
    @Override
    boolean isDone();

    /** {@return whether the future was cancelled} */
    @Override
    boolean isCancelled();

    /**
     * Registers a callback to run on the loop once the future is done. The callback receives this
     * future. If the future is already done, the callback is scheduled at once. Never suspends.
     *
     * @param callback the callback
     */
    void addDoneCallback(Consumer<? super Future<T>> callback);

    /**
     * Removes every registration of a callback that has not yet been scheduled. Never suspends.
     *
     * @param callback the callback, compared by identity
     * @return how many registrations were removed
     */
    int removeDoneCallback(Consumer<? super Future<T>> callback);

    /** {@return the loop this future belongs to} */
    EventLoop getLoop();

    /**
     * Waits for the future and returns its result, with the {@code java.util.concurrent.Future}
     * contract: inside a task of this future's loop it suspends the task (as {@code await} does:
     * cancelling the waiting task cancels this future too); on any other thread it blocks that
     * thread. On the loop's own thread outside a task it throws {@link IllegalStateException},
     * because the loop would wait for itself.
     *
     * @return the result
     * @throws ExecutionException wrapping the stored exception
     * @throws java.util.concurrent.CancellationException if the future was cancelled
     * @throws InterruptedException if a blocked foreign thread is interrupted
     */
    @Override
    T get() throws InterruptedException, ExecutionException;

    /**
     * Waits at most the given time for the future, as {@link #get()} does.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return the result
     * @throws ExecutionException wrapping the stored exception
     * @throws java.util.concurrent.TimeoutException if the future is still pending after the wait
     * @throws InterruptedException if a blocked foreign thread is interrupted
     */
    @Override
    T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException;

    /**
     * Returns a {@link CompletableFuture} completed with this future's outcome once it is done.
     * Cancelling the returned future (from any thread) cancels this one. Never suspends.
     *
     * @return a completable view of this future
     */
    CompletableFuture<T> toCompletableFuture();
}
