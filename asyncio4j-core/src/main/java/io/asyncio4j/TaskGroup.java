package io.asyncio4j;

import java.util.concurrent.Callable;

/**
 * Structured concurrency for a block: children created in the group cannot outlive it; asyncio's
 * {@code TaskGroup}, made by {@link Asyncio#taskGroup()} for try-with-resources or run by
 * {@link Asyncio#taskGroup(TaskGroupBody)}.
 *
 * {@snippet :
 * try (TaskGroup tg = taskGroup()) {
 *     tg.createTask(() -> fetch(url1));
 *     tg.createTask(() -> fetch(url2));
 * }   // close() waits for both; the first failure cancels the other and raises
 * }
 *
 * <p>Rules, as asyncio's: {@link #close()} waits for every child, including children created while
 * it waits. The first child failure (any exception but {@link CancelledError}) cancels the other
 * children and interrupts the body at its suspension point; once every child has finished, all
 * failures are raised together as one {@link TaskGroupException}. A child cancelled on its own is
 * not a failure. A cancellation of the task that owns the group cancels the children and then
 * propagates. {@link #cancel()} (asyncio 3.15) stops the whole group without an error.
 *
 * <p><b>With try-with-resources</b>, Java does not tell {@code close()} whether the block ended with
 *     an exception. So an exception the body's own code throws (rather than one the group or a
 *     cancellation delivered) does not cancel the children: {@code close()} waits for them, then
 *     the exception propagates. And a body interrupted by {@link #cancel()} leaves the block with
 *     that {@code CancelledError}. {@link Asyncio#taskGroup(TaskGroupBody)} sees the body's outcome
 *     and has asyncio's exact semantics for both.
 */
public interface TaskGroup extends AutoCloseable {

    /**
     * Creates a child task. Never suspends.
     *
     * @param <T> the result type
     * @param coroutine the child's body
     * @return the child task
     * @throws IllegalStateException if the group is not entered, is shutting down after a failure
     *     or cancel, or has finished
     */
    <T> Task<T> createTask(Callable<T> coroutine);

    /**
     * Creates a named child task. Never suspends.
     *
     * @param <T> the result type
     * @param name the task's name
     * @param coroutine the child's body
     * @return the child task
     * @throws IllegalStateException as {@link #createTask(Callable)}
     */
    <T> Task<T> createTask(String name, Callable<T> coroutine);

    /**
     * Creates a child task whose body returns nothing. Never suspends.
     *
     * @param coroutine the child's body
     * @return the child task
     * @throws IllegalStateException as {@link #createTask(Callable)}
     */
    Task<Void> createTask(ThrowingRunnable coroutine);

    /**
     * Creates a named child task whose body returns nothing. Never suspends.
     *
     * @param name the task's name
     * @param coroutine the child's body
     * @return the child task
     * @throws IllegalStateException as {@link #createTask(Callable)}
     */
    Task<Void> createTask(String name, ThrowingRunnable coroutine);

    /**
     * Cancels the group (asyncio 3.15): every unfinished child is cancelled, the body is interrupted
     * at its suspension point, new children are refused, and the group exits without a
     * {@link CancelledError} (it still raises if children failed). Idempotent; before entry it
     * cancels on entry; after exit it does nothing. Never suspends.
     */
    void cancel();

    /**
     * Waits for every child, then raises their failures together, if any. Suspends; a cancellation
     * that arrives while waiting cancels the children, waits for them, then propagates.
     *
     * @throws TaskGroupException if any child failed
     */
    @Override
    void close();
}
