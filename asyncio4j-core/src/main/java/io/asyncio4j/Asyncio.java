package io.asyncio4j;

import io.asyncio4j.internal.scope.CancelScopeImpl;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.RunnerImpl;
import io.asyncio4j.internal.scope.TaskGroupImpl;
import io.asyncio4j.internal.task.Drivers;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.scope.TimeoutImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.ops.AsCompleted;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.ops.Bridges;
import io.asyncio4j.internal.ops.Gather;
import io.asyncio4j.internal.ops.OnCancel;
import io.asyncio4j.internal.ops.Shield;
import io.asyncio4j.internal.ops.Wait;
import io.asyncio4j.internal.ops.WaitFor;

/**
 * The front door of asyncio4j: asyncio's module-level functions as static methods.
 *
 * {@snippet :
 * import static io.asyncio4j.Asyncio.*;
 *
 * List<String> results = run(() -> {
 *     Task<String> a = createTask(() -> worker("A", 2));
 *     Task<String> b = createTask(() -> worker("B", 1));
 *     return await(gather(a, b));          // about 2 s, not 3
 * });
 *
 * static String worker(String name, int seconds) {
 *     sleep(Duration.ofSeconds(seconds));  // suspends this task only
 *     return "Result from " + name;
 * }
 * }
 *
 * <p>A coroutine is any {@link Callable} or {@link ThrowingRunnable}; running it as a task makes it
 * a virtual thread scheduled by the loop, so any method it calls may suspend. Methods say "Suspends"
 * when they can give the loop to other tasks, and whether they check for cancellation there;
 * "Never suspends" otherwise. Methods that suspend must be called from a task.
 *
 * <p>Exceptions pass through unchanged: {@link #await(Future)} throws the very exception the
 * awaited task threw, checked or not (checked ones are not declared; catch {@code Exception} and
 * test the type). {@link CancelledError} is an {@link Error}, so {@code catch (Exception e)} does
 * not swallow cancellation.
 */
public final class Asyncio {
    private Asyncio() {
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs a coroutine as the main task of a new event loop and returns its result: asyncio.run.
     * When the main task is done, every other task is cancelled and awaited, the default executor
     * is shut down and the loop is closed. Ctrl-C (SIGINT) on the main thread cancels the main
     * task; if it ends cancelled, the JVM then handles the signal as usual (exit status 130).
     *
     * @param <T> the result type
     * @param main the main coroutine
     * @return its result
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(Callable<T> main) {
        return run(main, false);
    }

    /**
     * Runs a coroutine, optionally in debug mode; see {@link #run(Callable)} and
     * {@link EventLoop#setDebug(boolean)}.
     *
     * @param <T> the result type
     * @param main the main coroutine
     * @param debug whether the loop runs in debug mode
     * @return its result
     */
    public static <T> T run(Callable<T> main, boolean debug) {
        try (RunnerImpl runner = new RunnerImpl(debug)) {
            return runner.run(main);
        }
    }

    /**
     * Runs a coroutine that returns nothing; see {@link #run(Callable)}.
     *
     * @param main the main coroutine
     */
    public static void run(ThrowingRunnable main) {
        run(callable(main), false);
    }

    /**
     * Runs a coroutine that returns nothing, optionally in debug mode; see {@link #run(Callable)}.
     *
     * @param main the main coroutine
     * @param debug whether the loop runs in debug mode
     */
    public static void run(ThrowingRunnable main, boolean debug) {
        run(callable(main), debug);
    }

    /**
     * Creates an event loop owned by the calling thread; asyncio's {@code new_event_loop}. Prefer
     * {@link #run} or {@link Runner}. Never suspends.
     *
     * @return a new loop
     */
    public static EventLoop newEventLoop() {
        return new EventLoopImpl();
    }

    /**
     * Returns the loop running the current task or callback. Never suspends.
     *
     * @return the running loop
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static EventLoop getRunningLoop() {
        return EventLoopImpl.running();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Schedules a coroutine as a task on the running loop; its first step runs once the creator
     * suspends (or at once when the loop uses the eager task factory). Never suspends.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createTask(Callable<T> coroutine) {
        return EventLoopImpl.running().createTask(coroutine);
    }

    /**
     * Schedules a named task; see {@link #createTask(Callable)}. Never suspends.
     *
     * @param <T> the result type
     * @param name the task's name
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createTask(String name, Callable<T> coroutine) {
        return EventLoopImpl.running().createTask(name, coroutine);
    }

    /**
     * Schedules a coroutine that returns nothing; see {@link #createTask(Callable)}. Never suspends.
     *
     * @param coroutine the coroutine
     * @return the task
     */
    public static Task<Void> createTask(ThrowingRunnable coroutine) {
        return EventLoopImpl.running().createTask(coroutine);
    }

    /**
     * Schedules a named coroutine that returns nothing. Never suspends.
     *
     * @param name the task's name
     * @param coroutine the coroutine
     * @return the task
     */
    public static Task<Void> createTask(String name, ThrowingRunnable coroutine) {
        return EventLoopImpl.running().createTask(name, coroutine);
    }

    /**
     * Creates a task and runs its first step at once, until its first suspension (asyncio 3.14's
     * {@code create_task(..., eager_start=True)}); a coroutine that finishes without suspending
     * yields a task that is already done. Suspends the caller only for that first step.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createEagerTask(Callable<T> coroutine) {
        return EventLoopImpl.running().createEagerTask(null, coroutine);
    }

    /**
     * Creates a named task and runs its first step at once; see {@link #createEagerTask(Callable)}.
     *
     * @param <T> the result type
     * @param name the task's name
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createEagerTask(String name, Callable<T> coroutine) {
        return EventLoopImpl.running().createEagerTask(name, coroutine);
    }

    /**
     * Returns the task whose coroutine is running, or {@code null} in a plain callback or outside
     * any loop. Never suspends.
     *
     * @return the current task, or {@code null}
     */
    public static Task<?> currentTask() {
        return TaskImpl.current();
    }

    /**
     * Returns the tasks of the running loop that are not done. Never suspends.
     *
     * @return a snapshot of the live tasks
     */
    public static List<Task<?>> allTasks() {
        return new ArrayList<>(EventLoopImpl.running().tasks().liveTasks());
    }

    /**
     * Creates a pending future on the running loop. Never suspends.
     *
     * @param <T> the result type
     * @return the future
     */
    public static <T> Future<T> createFuture() {
        return EventLoopImpl.running().createFuture();
    }

    // ------------------------------------------------------------------ await and sleep

    /**
     * Waits for a future or task and returns its result, or throws the very exception it holds.
     * A done future returns at once without suspending; a pending one suspends the current task
     * only. Suspends; checks for cancellation: cancelling the waiting task cancels the awaited
     * future too (use {@link #shield} to prevent that).
     *
     * @param <T> the result type
     * @param future the future
     * @return its result
     * @throws CancelledError if the future, or the waiting task, was cancelled
     * @throws IllegalStateException if called outside a task, or on a future of another loop
     */
    public static <T> T await(Future<T> future) {
        return Await.await(future);
    }

    /**
     * Waits for a {@link CompletionStage} (a {@link CompletableFuture}, say) without blocking the
     * loop: its completion is handed to the loop. Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param stage the stage
     * @return its result
     */
    public static <T> T await(CompletionStage<T> stage) {
        return Await.await(Bridges.wrapFuture(stage));
    }

    /**
     * Suspends the current task for a time: asyncio.sleep. A zero or negative duration
     * ({@code sleep(Duration.ZERO)}, asyncio's {@code sleep(0)}) yields once to the other ready
     * tasks. Suspends; checks for cancellation.
     *
     * @param delay how long
     */
    public static void sleep(Duration delay) {
        Await.sleep(delay);
    }

    // ------------------------------------------------------------------ combinators

    /**
     * Returns a future of the results of several futures, in argument order: asyncio.gather. The
     * first failure completes it with that exception while the other children keep running;
     * cancelling it cancels the children. Never suspends; await the returned future.
     *
     * @param <T> the result type
     * @param futures the futures or tasks
     * @return the gathering future
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return Gather.of(Arrays.asList(futures), false);
    }

    /**
     * Gathers a collection of futures; see {@link #gather(Future[])}. Never suspends.
     *
     * @param <T> the result type
     * @param futures the futures or tasks
     * @return the gathering future
     */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        return Gather.of(new ArrayList<>(futures), false);
    }

    /**
     * Returns a future of how each of several futures ended, in argument order, without failing
     * fast: asyncio's {@code gather(..., return_exceptions=True)} with a typed {@link Outcome} per
     * child. Never suspends; await the returned future.
     *
     * @param <T> the result type
     * @param futures the futures or tasks
     * @return the gathering future
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> Future<List<Outcome<T>>> gatherSettled(Future<? extends T>... futures) {
        return Gather.of(Arrays.asList(futures), true);
    }

    /**
     * Gathers the outcomes of a collection of futures; see {@link #gatherSettled(Future[])}.
     *
     * @param <T> the result type
     * @param futures the futures or tasks
     * @return the gathering future
     */
    public static <T> Future<List<Outcome<T>>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        return Gather.of(new ArrayList<>(futures), true);
    }

    /**
     * Waits until all the futures are done: asyncio.wait with {@code ALL_COMPLETED}. Named
     * {@code waitFutures} because a static import of {@code wait} would be shadowed by
     * {@link Object#wait()} in every class. Suspends; checks for cancellation (which does not
     * cancel the futures).
     *
     * @param <T> the result type
     * @param futures the futures, not empty
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> waitFutures(Collection<? extends Future<T>> futures) {
        return Wait.of(futures, ReturnWhen.ALL_COMPLETED, null);
    }

    /**
     * Waits for futures until a condition holds: asyncio.wait. Never raises the futures'
     * exceptions and cancels nothing. Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param futures the futures, not empty
     * @param returnWhen when to return
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> waitFutures(Collection<? extends Future<T>> futures, ReturnWhen returnWhen) {
        return Wait.of(futures, returnWhen, null);
    }

    /**
     * Waits for futures until a condition holds or a timeout passes: asyncio.wait with
     * {@code timeout}. On timeout it returns with futures still pending, raising nothing.
     * Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param futures the futures, not empty
     * @param returnWhen when to return
     * @param timeout the longest wait
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> waitFutures(Collection<? extends Future<T>> futures, ReturnWhen returnWhen,
                                         Duration timeout) {
        return Wait.of(futures, returnWhen, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Runs a coroutine in the current task with a timeout: asyncio.wait_for on a coroutine. On
     * timeout the coroutine is interrupted at its suspension point, allowed to finish its cleanup,
     * then {@link TimeoutError} is thrown. A zero or negative timeout throws without running it.
     * Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @param timeout the timeout, or {@code null} for none
     * @return its result
     * @throws TimeoutError if the timeout passed
     */
    public static <T> T waitFor(Callable<T> coroutine, Duration timeout) {
        return WaitFor.call(coroutine, timeout);
    }

    /**
     * Waits for a future with a timeout: asyncio.wait_for. On timeout the future is cancelled and
     * waited for until it has really finished, then {@link TimeoutError} is thrown (use
     * {@link #shield} to keep it running). If it swallows the cancellation and returns a value,
     * that value is returned. Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param future the future or task
     * @param timeout the timeout, or {@code null} for none
     * @return its result
     * @throws TimeoutError if the timeout passed
     */
    public static <T> T waitFor(Future<T> future, Duration timeout) {
        return WaitFor.await(future, timeout);
    }

    /**
     * Returns the futures in the order they complete: asyncio.as_completed. Iterating suspends
     * until the next one is done and yields that future (done; {@code await} it to get its result
     * or exception). Single use. Each step suspends and checks for cancellation.
     *
     * @param <T> the result type
     * @param futures the futures
     * @return an iterable in completion order
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> futures) {
        return AsCompleted.of(futures, null);
    }

    /**
     * Returns the futures in completion order, with an overall timeout: once it passes, the next
     * step of the iteration throws {@link TimeoutError}; unfinished futures are not cancelled.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param timeout the overall timeout
     * @return an iterable in completion order
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Duration timeout) {
        return AsCompleted.of(futures, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Protects a future from the cancellation of its awaiters: asyncio.shield. Returns a future
     * that mirrors {@code future}; cancelling it (or the task awaiting it) leaves {@code future}
     * running. A done future is returned as it is. Never suspends.
     *
     * @param <T> the result type
     * @param future the future to protect
     * @return the protecting future
     */
    public static <T> Future<T> shield(Future<T> future) {
        return Shield.shield(future);
    }

    // ------------------------------------------------------------------ scopes

    /**
     * Opens a timeout scope in the current task: asyncio.timeout, for try-with-resources. See
     * {@link Timeout}. Never suspends.
     *
     * @param delay the time allowed from now, or {@code null} for no deadline
     * @return the entered scope
     */
    public static Timeout timeout(Duration delay) {
        if (delay == null) {
            return TimeoutImpl.open(0, false);
        }
        EventLoopImpl loop = EventLoopImpl.running();
        return TimeoutImpl.open(Durations.deadlineAfter(loop.time(), delay), true);
    }

    /**
     * Opens a timeout scope with an absolute deadline: asyncio.timeout_at. Never suspends.
     *
     * @param deadlineNanos the deadline on the loop's clock ({@link EventLoop#time()})
     * @return the entered scope
     */
    public static Timeout timeoutAt(long deadlineNanos) {
        return TimeoutImpl.open(deadlineNanos, true);
    }

    /**
     * Opens a task group in the current task: asyncio.TaskGroup, for try-with-resources. See
     * {@link TaskGroup}. Never suspends.
     *
     * @return the entered group
     */
    public static TaskGroup taskGroup() {
        return TaskGroupImpl.open();
    }

    /**
     * Runs a body in a task group and waits for its children, with asyncio's exact semantics:
     * an exception from the body cancels the children and joins their failures, and
     * {@link TaskGroup#cancel()} ends the group quietly even while the body runs. Suspends; a
     * cancellation cancels the children and propagates once they are done.
     *
     * @param <T> the body's result type
     * @param body the body
     * @return the body's result
     * @throws TaskGroupException if the body or any child failed
     */
    public static <T> T taskGroup(TaskGroupBody<T> body) {
        return TaskGroupImpl.run(body);
    }

    /**
     * Runs a body with a time limit and carries on quietly if it passes: Trio's
     * {@code move_on_after}. When the time is up the body is cancelled at its suspension point
     * (again at every later one, if it swallows the cancellation), and this method returns with
     * {@link CancelScope#cancelledCaught()} true. Suspends while the body does.
     *
     * @param delay the time allowed
     * @param body the body, given the scope (which it may cancel)
     * @return the finished scope
     */
    public static CancelScope moveOnAfter(Duration delay, CancelScopeBody body) {
        EventLoopImpl loop = EventLoopImpl.running();
        return CancelScopeImpl.moveOnAt(Durations.deadlineAfter(loop.time(), Objects.requireNonNull(delay, "delay")),
                body);
    }

    /**
     * Runs a body until an absolute deadline and carries on quietly if it passes; see
     * {@link #moveOnAfter}.
     *
     * @param deadlineNanos the deadline on the loop's clock
     * @param body the body
     * @return the finished scope
     */
    public static CancelScope moveOnAt(long deadlineNanos, CancelScopeBody body) {
        return CancelScopeImpl.moveOnAt(deadlineNanos, body);
    }

    /**
     * Opens a scope that shields its block from cancellation coming from outside it (task
     * cancellation, enclosing timeouts and groups), for try-with-resources: such a cancellation is
     * delivered at the first suspension point after the block. Use it for cleanup that must
     * finish. Never suspends.
     *
     * @return the entered scope
     */
    public static CancelScope shieldedScope() {
        return CancelScopeImpl.openShielded();
    }

    // ------------------------------------------------------------------ async generators

    /**
     * Creates an async generator: a producer coroutine that emits values to the task iterating
     * it, one at a time, with backpressure. See {@link AsyncGenerator}. Never suspends; the
     * producer starts at the first request.
     *
     * @param <T> the value type
     * @param body the producer, which emits through the given {@link AsyncGenerator.Emitter}
     * @return the generator, to iterate with a for-each loop inside try-with-resources
     */
    public static <T> AsyncGenerator<T> generator(AsyncGenerator.Body<T> body) {
        return io.asyncio4j.internal.task.AsyncGeneratorImpl.create(body);
    }

    // ------------------------------------------------------------------ threads and other futures

    /**
     * {@return how this JVM's loops run their tasks}: {@link SchedulerMode#FAST} when a blocking JDK
     * call that virtual threads handle without blocking their carrier (socket I/O, {@code
     * java.util.concurrent} waits) parks only the calling task, {@link SchedulerMode#COMPAT} when
     * such a call holds the loop thread. A library that wraps blocking calls can choose with it
     * between running them in the task and on an executor. Never suspends.
     */
    public static SchedulerMode schedulerMode() {
        return Drivers.mode().equals("fast") ? SchedulerMode.FAST : SchedulerMode.COMPAT;
    }

    /**
     * Runs a blocking call on the loop's default executor and waits for it without blocking the
     * loop: asyncio.to_thread. The call runs in a copy of the caller's {@link ContextVar context}.
     * Cancelling the waiting task does not stop the thread; its result is then dropped, and its
     * exception, if any, goes to the loop's exception handler. Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param call the blocking call
     * @return its result
     */
    public static <T> T toThread(Callable<T> call) {
        return Await.await(EventLoopImpl.running().runInExecutor(null, call, true));
    }

    /**
     * Runs a blocking call in the current task and lets a cancellation reach it while it is
     * blocked: {@code abort} runs if the task is cancelled meanwhile. A task blocked inside a JDK
     * call (a socket read of a JDBC driver, a {@code java.util.concurrent} wait) is not at a
     * suspension point of the loop, so without this a cancellation would wait for the call to
     * return on its own. With it, when the task is cancelled, or a timeout, task group or cancel
     * scope around the call (or one the body entered) is cancelled, while {@code body} runs,
     * {@code abort} runs once on the loop's default executor, concurrently with the blocked body:
     * it should make the body return early ({@code Statement.cancel()}, {@code Socket.close()},
     * {@code Process.destroy()}, completing what the body waits for) and may block to do so.
     * Once the body has returned and the abort has finished, the cancellation is thrown (a
     * {@link CancelledError}, or the {@link TimeoutError} of an expired timeout, or a task
     * group's exception), with what the body threw, and what the abort threw, added to it as
     * suppressed exceptions; the body's result is then dropped, as asyncio drops the result of an
     * awaitable whose task was cancelled. Without a cancellation, the body's result or exception
     * passes through unchanged and the abort does not run. Shielded scopes around the call hide
     * cancellations from outside them, as they do for any suspension point.
     *
     * {@snippet :
     * ResultSet rs = onCancel(statement::cancel, () -> statement.executeQuery());
     * }
     *
     * <p>A cancellation already pending when the call starts is thrown before the body runs.
     * Nothing can be left in flight: onCancel never returns or throws while its abort still runs
     * (it waits for it, shielded), so a resource the abort touches may be reused at once.
     *
     * @apiNote With the fast scheduler a blocking JDK call that virtual threads handle without
     * blocking their carrier parks only the task, the loop goes on, and a cancellation reaches the
     * call through {@code abort}. In compatibility mode ({@link #schedulerMode()} is
     * {@link SchedulerMode#COMPAT}) a blocking JDK call holds the loop thread, so nothing can
     * cancel the task while it is blocked (timers, other tasks and callbacks wait for it): the
     * abort runs only while the body is suspended at one of the loop's own suspension points (an
     * {@link #await(Future)} of an executor call, say), and a cancellation requested after the
     * call returned is thrown at the task's next suspension point. Blocking work that must not
     * hold the loop in compatibility mode belongs on an executor ({@link #toThread}).
     *
     * <p>Suspends; checks for cancellation (before the body, and after it).
     *
     * @param <T> the result type
     * @param abort what makes the blocked body return; runs on the loop's default executor
     * @param body the blocking call, run in the current task
     * @return the body's result
     * @throws IllegalStateException if not called from a task
     */
    public static <T> T onCancel(ThrowingRunnable abort, Callable<T> body) {
        return OnCancel.run(abort, body);
    }

    /**
     * Wraps a {@link CompletionStage} (a {@link CompletableFuture}, say) in a future of the running
     * loop, completed on the loop: asyncio.wrap_future. Cancelling the returned future cancels the
     * stage when it is also a {@link java.util.concurrent.Future}. Never suspends.
     *
     * @param <T> the result type
     * @param stage the stage
     * @return the future
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        return Bridges.wrapFuture(stage);
    }

    /**
     * Schedules a coroutine on a loop from any thread and returns a {@link CompletableFuture} of
     * its result: asyncio.run_coroutine_threadsafe. Cancelling the returned future cancels the
     * task. Never suspends.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @param loop the loop, running on another thread
     * @return the future of the result
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Callable<T> coroutine, EventLoop loop) {
        return Bridges.runCoroutineThreadsafe(coroutine, loop);
    }

    // ------------------------------------------------------------------ helpers

    private static Callable<Void> callable(ThrowingRunnable body) {
        if (body == null) {
            throw new NullPointerException("coroutine");
        }
        return () -> {
            body.run();
            return null;
        };
    }
}
