package io.asyncio4j;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * An event loop: one thread that runs callbacks and coroutine steps one at a time, in FIFO order,
 * and waits for timers and I/O in between; asyncio's {@code AbstractEventLoop}.
 *
 * <p>Most programs never touch the loop: {@link Asyncio#run} makes one, and the static methods of
 * {@link Asyncio} find it. Every method here must be called on the loop's thread (from a task or a
 * callback) except {@link #callSoonThreadsafe}, {@link #time()}, {@link #isRunning()},
 * {@link #isClosed()} and {@link #getDebug()}, which any thread may call.
 *
 * <p>One iteration of the loop waits for I/O (not at all if callbacks are ready, else until the
 * nearest timer), moves callbacks from other threads and due timers to the ready queue, then runs
 * exactly the callbacks that were ready when the iteration began; callbacks scheduled meanwhile
 * run in the next iteration. An idle loop blocks in the selector and uses no CPU.
 */
public interface EventLoop {

    /**
     * Schedules a callback to run in the next iteration, after those already scheduled. Never
     * suspends.
     *
     * @param callback the callback; an exception it throws goes to the exception handler
     * @return a handle that can cancel the callback
     */
    Handle callSoon(Runnable callback);

    /**
     * Schedules a callback to run after a delay. Callbacks due at the same time run in the order
     * they were scheduled. Never suspends.
     *
     * @param delay the delay; zero or negative means as soon as possible, after the ready callbacks
     * @param callback the callback
     * @return a handle that can cancel the callback
     */
    TimerHandle callLater(Duration delay, Runnable callback);

    /**
     * Schedules a callback to run at a time on the loop's clock. Never suspends.
     *
     * @param whenNanos when to run it, in nanoseconds on the {@link #time()} scale
     * @param callback the callback
     * @return a handle that can cancel the callback
     */
    TimerHandle callAt(long whenNanos, Runnable callback);

    /**
     * Schedules a callback from any thread; the only thread-safe way to hand work to the loop. It
     * wakes the loop if it is waiting; a burst of calls wakes it once. Never suspends.
     *
     * @param callback the callback
     * @return a handle that can cancel the callback
     * @throws IllegalStateException if the loop is closed
     */
    Handle callSoonThreadsafe(Runnable callback);

    /**
     * Calls {@code callback} on the loop each time the process receives a POSIX signal, until
     * removed: asyncio's {@code add_signal_handler}, for a graceful shutdown on {@code TERM}, a
     * reload on {@code HUP}. A new handler for a signal replaces this loop's earlier one. The
     * callback runs in the current context; what it throws goes to the exception handler. An
     * {@code INT} handler replaces the Ctrl-C handling of {@link Asyncio#run} while it is installed.
     * Closing the loop removes its handlers. Never suspends.
     *
     * @param signal the signal's name, with or without {@code SIG}: {@code "TERM"}, {@code "HUP"},
     *     {@code "USR1"}...
     * @param callback the callback
     * @throws IllegalArgumentException if the signal is unknown, or the JVM or the OS keeps it
     *     ({@code KILL}, {@code STOP}, and those the JVM uses itself)
     * @throws UnsupportedOperationException if this JVM offers no signal handling
     */
    void addSignalHandler(String signal, Runnable callback);

    /**
     * Removes this loop's handler of a signal, putting back the handler it replaced: asyncio's
     * {@code remove_signal_handler}. Never suspends.
     *
     * @param signal the signal's name, with or without {@code SIG}
     * @return whether the loop had a handler for it
     */
    boolean removeSignalHandler(String signal);

    /** {@return the loop's monotonic clock in nanoseconds; unrelated to wall-clock time} */
    long time();

    /**
     * Calls {@code callback} on the loop each time {@code channel} is ready to read (to accept,
     * for a server channel), until removed: asyncio's {@code add_reader}, for channels the loop's
     * transports do not drive (a pipe, a channel of another library). A new reader replaces the
     * channel's earlier one. The callback runs in the current context; what it throws goes to
     * the exception handler. Never suspends.
     *
     * @param channel the channel, non-blocking
     * @param callback the callback
     * @return a handle; cancelling it removes the reader as {@link #removeReader} does
     * @throws IllegalArgumentException if the channel is blocking or cannot be read
     * @throws IllegalStateException if a transport or a server drives the channel, or a task waits
     *     to receive from it
     * @throws ClosedChannelException if the channel is closed
     */
    Handle addReader(SelectableChannel channel, Runnable callback) throws ClosedChannelException;

    /**
     * Stops calling the channel's reader: asyncio's {@code remove_reader}. Never suspends.
     *
     * @param channel the channel
     * @return whether it had one
     */
    boolean removeReader(SelectableChannel channel);

    /**
     * Calls {@code callback} on the loop each time {@code channel} is ready to write (for a
     * socket still connecting: when the connection completes or fails), until removed: asyncio's
     * {@code add_writer}. As {@link #addReader} otherwise.
     *
     * @param channel the channel, non-blocking
     * @param callback the callback
     * @return a handle; cancelling it removes the writer as {@link #removeWriter} does
     * @throws IllegalArgumentException if the channel is blocking or cannot be written
     * @throws IllegalStateException if a transport or a server drives the channel, or a task waits
     *     to send on it
     * @throws ClosedChannelException if the channel is closed
     */
    Handle addWriter(SelectableChannel channel, Runnable callback) throws ClosedChannelException;

    /**
     * Stops calling the channel's writer: asyncio's {@code remove_writer}. Never suspends.
     *
     * @param channel the channel
     * @return whether it had one
     */
    boolean removeWriter(SelectableChannel channel);

    /**
     * Creates a pending future bound to this loop. Never suspends.
     *
     * @param <T> the result type
     * @return the future
     */
    <T> Future<T> createFuture();

    /**
     * Wraps a coroutine in a task scheduled on this loop: asyncio's {@code loop.create_task}. Its
     * first step runs once the creator suspends, or at once when the loop uses the
     * {@linkplain #setEagerTaskFactory eager task factory}. Never suspends.
     *
     * @param <T> the result type
     * @param coroutine the coroutine body
     * @return the task
     */
    default <T> Task<T> createTask(Callable<T> coroutine) {
        return createTask(null, coroutine);
    }

    /**
     * Wraps a coroutine in a named task; see {@link #createTask(Callable)}. Never suspends.
     *
     * @param <T> the result type
     * @param name the task's name, or {@code null} for {@code Task-<n>}
     * @param coroutine the coroutine body
     * @return the task
     */
    <T> Task<T> createTask(String name, Callable<T> coroutine);

    /**
     * Wraps a coroutine that returns nothing in a task; see {@link #createTask(Callable)}. Never
     * suspends.
     *
     * @param coroutine the coroutine body
     * @return the task, whose result is {@code null}
     */
    default Task<Void> createTask(ThrowingRunnable coroutine) {
        return createTask(null, coroutine);
    }

    /**
     * Wraps a named coroutine that returns nothing in a task. Never suspends.
     *
     * @param name the task's name, or {@code null} for {@code Task-<n>}
     * @param coroutine the coroutine body
     * @return the task, whose result is {@code null}
     */
    Task<Void> createTask(String name, ThrowingRunnable coroutine);

    /**
     * Creates a task and runs its first step at once, until its first suspension, before this
     * method returns: asyncio 3.14's {@code create_task(..., eager_start=True)}. A coroutine that
     * finishes without suspending gives a task that is already done. When the loop is not
     * running, the task starts as {@link #createTask(String, Callable)} would. Suspends the caller
     * only for that first step.
     *
     * @param <T> the result type
     * @param name the task's name, or {@code null} for {@code Task-<n>}
     * @param coroutine the coroutine body
     * @return the task
     */
    <T> Task<T> createEagerTask(String name, Callable<T> coroutine);

    /**
     * Creates a task of a coroutine that returns nothing and runs its first step at once; see
     * {@link #createEagerTask(String, Callable)}.
     *
     * @param name the task's name, or {@code null} for {@code Task-<n>}
     * @param coroutine the coroutine body
     * @return the task, whose result is {@code null}
     */
    Task<Void> createEagerTask(String name, ThrowingRunnable coroutine);

    /**
     * Makes {@link #createTask(Callable)} start tasks eagerly (asyncio's {@code eager_task_factory}).
     * Never suspends.
     *
     * @param eager whether new tasks start eagerly
     */
    void setEagerTaskFactory(boolean eager);

    /** {@return whether new tasks start eagerly} */
    boolean isEagerTaskFactory();

    /**
     * Runs a blocking call on the loop's default executor, a bounded thread pool created on first
     * use and shut down by {@link Asyncio#run}. Never suspends; await the returned future.
     *
     * @param <T> the result type
     * @param call the blocking call
     * @return a future of the call's result
     */
    <T> Future<T> runInExecutor(Callable<T> call);

    /**
     * Runs a blocking call on the given executor. Never suspends.
     *
     * @param <T> the result type
     * @param executor the executor, or {@code null} for the default one
     * @param call the blocking call
     * @return a future of the call's result
     */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> call);

    /**
     * Resolves a host name to socket addresses on the default executor, so the loop goes on
     * meanwhile: asyncio's {@code getaddrinfo}. An address literal resolves at once. Suspends
     * (for a name); checks for cancellation.
     *
     * @param host a host name or an address literal
     * @param port the port of the addresses
     * @return the addresses, in the resolver's order
     * @throws java.net.UnknownHostException if the name has no address
     */
    java.util.List<java.net.InetSocketAddress> getAddrInfo(String host, int port)
            throws java.net.UnknownHostException;

    /**
     * Looks up the host name of an address on the default executor (a reverse lookup): asyncio's
     * {@code getnameinfo}. Suspends; checks for cancellation.
     *
     * @param address the address
     * @return its host name, or the address literal when it has none
     */
    String getNameInfo(java.net.InetAddress address);

    /**
     * Makes {@code executor} the default executor, used by {@code runInExecutor} without an
     * executor and by {@code toThread}: asyncio's {@code set_default_executor}. The loop shuts it
     * down as its own ({@link #shutdownDefaultExecutor}, and at the end of {@code Asyncio.run}).
     * Calls already running on the previous default executor go on there. Never suspends.
     *
     * @param executor the executor
     * @throws IllegalStateException if the default executor was shut down already
     */
    void setDefaultExecutor(java.util.concurrent.ExecutorService executor);

    /**
     * Shuts the default executor down and waits for its running calls to finish. Suspends when
     * called from a task; checks for cancellation.
     *
     * @param timeout how long to wait, or {@code null} for no limit
     */
    void shutdownDefaultExecutor(Duration timeout);

    /**
     * Runs the loop until the future is done, and returns its result or throws its exception.
     *
     * @param <T> the result type
     * @param future the future
     * @return the result
     * @throws IllegalStateException if the loop is running or closed, or stopped before the
     *     future was done
     * @throws IllegalArgumentException if the future belongs to another loop
     */
    <T> T runUntilComplete(Future<T> future);

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException if the loop is running or closed
     */
    void runForever();

    /** Stops the loop after the current iteration. Never suspends. */
    void stop();

    /** {@return whether the loop is running} */
    boolean isRunning();

    /**
     * Returns the loop's counters (trio's {@code statistics()}): tasks, ready entries, timers,
     * iterations, wake-ups, time busy and idle, the slowest timed step and the loop lag's
     * percentiles. Costs nothing until called: the busy path reads no clock for it. Never suspends.
     *
     * @return the counters, an immutable record
     * @throws IllegalStateException if called from another thread while the loop runs (take
     *     {@code Observe.snapshot(loop)} there)
     */
    io.asyncio4j.observe.LoopStatistics statistics();

    /**
     * Closes the loop: drops scheduled callbacks, releases the selector, and shuts the default
     * executor down without waiting. Idempotent. Reports exceptions of done futures nobody
     * retrieved.
     *
     * @throws IllegalStateException if the loop is running
     */
    void close();

    /** {@return whether the loop is closed} */
    boolean isClosed();

    /**
     * Registers an action for {@link #close()} to run on the loop's thread before the loop drops
     * its callbacks and closes its transports: for a resource tied to the loop that must be
     * released, or reported as never closed, when the loop ends (a client session its user forgot
     * to close, say). Actions run in the order registered; one that throws goes to the exception
     * handler and the others still run. The action must not suspend. Asyncio has no such hook;
     * its libraries rely on the garbage collector's finalizers, which may run after the loop is
     * gone or never.
     *
     * @param action what to run when the loop closes
     * @return a handle whose {@link Handle#cancel()} removes the action (call it when the resource
     *     is closed first, so that nothing is kept for it); it may be called from any thread
     * @throws IllegalStateException if the loop is closed
     */
    Handle onClose(Runnable action);

    /**
     * Sets the handler of errors the loop cannot deliver to anyone: callback exceptions,
     * unretrieved future exceptions and the like. Never suspends.
     *
     * @param handler the handler, or {@code null} for the default one, which logs through
     *     {@link System.Logger} at {@code ERROR}
     */
    void setExceptionHandler(ExceptionHandler handler);

    /** {@return the installed exception handler, or {@code null} for the default one} */
    ExceptionHandler getExceptionHandler();

    /**
     * Passes an error to the installed handler, or to the default one. If the handler throws, the
     * default handler logs both. Never suspends.
     *
     * @param context what happened
     */
    void callExceptionHandler(ExceptionContext context);

    /**
     * Logs an error context the default way: through {@link System.Logger} named
     * {@code io.asyncio4j} at {@code ERROR}, with the exception. Never suspends.
     *
     * @param context what happened
     */
    void defaultExceptionHandler(ExceptionContext context);

    /**
     * Turns debug mode on or off: slow callbacks and coroutine steps are logged with their stack,
     * non-thread-safe calls from other threads throw, and cancellation errors record stack traces.
     *
     * @param debug whether debug mode is on
     */
    void setDebug(boolean debug);

    /** {@return whether debug mode is on} */
    boolean getDebug();

    /**
     * Sets how long a callback or step may hold the loop before debug mode logs it (default 100 ms).
     *
     * @param duration the threshold
     */
    void setSlowCallbackDuration(Duration duration);

    /** {@return how long a callback or step may hold the loop before debug mode logs it} */
    Duration getSlowCallbackDuration();
}
