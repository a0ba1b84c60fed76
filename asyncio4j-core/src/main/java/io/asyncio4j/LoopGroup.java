package io.asyncio4j;

import io.asyncio4j.internal.group.LoopGroupImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A group of event loops, each on a platform thread of its own, in one process: a loop per core.
 * Each loop keeps asyncio's guarantee for its tasks and callbacks (one at a time, on its thread,
 * so state a loop owns needs no lock); the group runs a main per loop, sends work to a chosen
 * loop or the next one, and runs servers on every loop at once. asyncio scales the same way with
 * processes (one loop each) behind a balancer; Netty and Vert.x with an event-loop group.
 *
 * {@snippet :
 * try (LoopGroup group = LoopGroup.open()) {                   // one loop per processor
 *     group.shutdownOnSignal("TERM", Duration.ofSeconds(10));   // graceful: stop, drain, cancel
 *     Server server = Streams.startServer(Echo::handle, "0.0.0.0", 8888,
 *             ServerOptions.defaults().withLoopGroup(group));   // listens on every loop
 *     server.serveForever();                                   // until SIGTERM stops the listeners
 * }                                                            // waits for the drain, then closes
 * }
 *
 * <p><b>Waiting.</b> The methods that wait for the group's loops ({@link #run}, {@link #call},
 * {@link #shutdown}, {@link #waitShutdownRequested}, and those of a server on the group) may be
 * called from a task of any loop, where they suspend and check for cancellation, or from a thread
 * that runs no loop (the program's main thread), where they block. From a callback on a loop's
 * thread they cannot wait and throw {@link IllegalStateException}. {@link #close()} always blocks.
 *
 * <p><b>Servers on the group.</b> A TCP or Unix server started with
 * {@link io.asyncio4j.transport.ServerOptions#withLoopGroup(LoopGroup) withLoopGroup(group)} is a
 * server on every loop, presented as one {@link io.asyncio4j.transport.Server}: {@code sockets()}
 * lists every loop's listening sockets (with {@code SO_REUSEPORT}, one per loop on the same
 * port), {@code stopListening()} stops every loop's listeners and waits until they are closed
 * (shielded from cancellation; from a loop's callback it only starts that), {@code closeClients()}
 * and {@code abortClients()} start closing the connections of every loop, {@code waitClosed()}
 * waits for every loop's server, and {@code getLoop()} is the group's first loop. Connections are
 * spread as {@link io.asyncio4j.transport.ServerOptions.Distribution} says; each stays on its
 * loop for its whole life.
 *
 * <p><b>Graceful shutdown.</b> {@link #shutdown(Duration)} (or a signal given to
 * {@link #shutdownOnSignal}) stops the listeners of every server on the group, waits up to the
 * drain timeout for their connections to end and for the running mains to return, then cancels
 * every task of every loop and closes the connections still open. The loops keep running until
 * {@link #close()}.
 *
 * @implNote The loops' threads are named {@code asyncio4j-group<N>-loop<i>} and are not daemon
 *     threads: a group left open keeps the JVM alive, as Netty's event loops do.
 */
public interface LoopGroup extends AutoCloseable {

    /**
     * Opens a group of one loop per available processor
     * ({@link Runtime#availableProcessors()}); each loop runs on a new platform thread until
     * {@link #close()}.
     *
     * @return the running group
     */
    static LoopGroup open() {
        return open(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens a group of {@code loops} loops, each running on a new platform thread until
     * {@link #close()}.
     *
     * @param loops how many loops
     * @return the running group
     * @throws IllegalArgumentException if {@code loops} is less than one
     */
    static LoopGroup open(int loops) {
        return new LoopGroupImpl(loops);
    }

    /** A group's main, run once on each loop: see {@link #run(Main)}. */
    @FunctionalInterface
    interface Main {

        /**
         * Runs on one loop of the group, as the main task of that loop.
         *
         * @param index the loop's index in the group, from 0
         * @throws Exception a failure, which cancels the other loops' mains
         */
        void run(int index) throws Exception;
    }

    /**
     * A group's main that returns a value, run once on each loop: see {@link #call(ResultMain)}.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    interface ResultMain<T> {

        /**
         * Runs on one loop of the group, as the main task of that loop.
         *
         * @param index the loop's index in the group, from 0
         * @return the loop's result
         * @throws Exception a failure, which cancels the other loops' mains
         */
        T call(int index) throws Exception;
    }

    /** {@return how many loops the group has} */
    int size();

    /**
     * Returns one of the group's loops.
     *
     * @param index its index, from 0 to {@link #size()} - 1
     * @return the loop
     * @throws IndexOutOfBoundsException if there is no such loop
     */
    EventLoop loop(int index);

    /** {@return the group's loops, in index order} */
    List<EventLoop> loops();

    /**
     * Returns the next loop in turn (round-robin), for spreading work. Any thread; never suspends.
     *
     * @return a loop of the group
     */
    EventLoop next();

    /**
     * Tells a loop's index in this group.
     *
     * @param loop a loop
     * @return its index, or -1 if it is not one of the group's
     */
    int indexOf(EventLoop loop);

    /**
     * Runs {@code main} on every loop at once, each as a task given its loop's index, and waits
     * until all have returned. The first failure cancels the other mains (as a task group does);
     * once all have ended, the failures are thrown together. Waits (see above).
     *
     * <p>A main cancelled by {@link #shutdown}, by {@link #close()} or by a cancellation of its own
     * counts as ended. If the waiting task is cancelled (or the waiting thread interrupted), the
     * mains are cancelled and waited for before the cancellation goes on (an interrupted thread
     * gets an {@link IllegalStateException}, its interrupt status set).
     *
     * @param main the main
     * @throws TaskGroupException holding every main's failure, in the order they happened
     * @throws IllegalStateException if the group is closed or shutting down
     */
    void run(Main main);

    /**
     * Runs {@code main} on every loop at once, as {@link #run(Main)} does, and returns the
     * results in loop order. Waits (see above).
     *
     * @param <T> the result type
     * @param main the main
     * @return each loop's result, in index order
     * @throws TaskGroupException holding every main's failure
     * @throws CancelledError if a main was cancelled (by itself, a shutdown or a close) and none failed
     * @throws IllegalStateException if the group is closed or shutting down
     */
    <T> List<T> call(ResultMain<T> main);

    /**
     * Runs a coroutine as a task of one loop: {@code runCoroutineThreadsafe} on that loop. Any
     * thread; never suspends.
     *
     * @param <T> the result type
     * @param index the loop's index
     * @param coroutine the coroutine
     * @return the task's outcome; cancelling it cancels the task
     * @throws IndexOutOfBoundsException if there is no such loop
     * @throws IllegalStateException if the group is closed
     */
    <T> CompletableFuture<T> submit(int index, Callable<T> coroutine);

    /**
     * Runs a coroutine that returns nothing as a task of one loop; see
     * {@link #submit(int, Callable)}.
     *
     * @param index the loop's index
     * @param coroutine the coroutine
     * @return the task's outcome; cancelling it cancels the task
     */
    CompletableFuture<Void> submit(int index, ThrowingRunnable coroutine);

    /**
     * Runs a coroutine as a task of the {@link #next()} loop. Any thread; never suspends.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @return the task's outcome; cancelling it cancels the task
     * @throws IllegalStateException if the group is closed
     */
    <T> CompletableFuture<T> submit(Callable<T> coroutine);

    /**
     * Runs a coroutine that returns nothing as a task of the {@link #next()} loop.
     *
     * @param coroutine the coroutine
     * @return the task's outcome; cancelling it cancels the task
     */
    CompletableFuture<Void> submit(ThrowingRunnable coroutine);

    /**
     * Makes a POSIX signal start a graceful {@link #shutdown(Duration)} of the group: the signal's
     * handler is installed on the group's first loop ({@code addSignalHandler}), replacing the
     * JVM's (SIGTERM and SIGINT would otherwise end the process at once), and removed when the
     * group closes. Returns once the handler is installed. Waits (see above).
     *
     * @param signal the signal's name ({@code "TERM"}, {@code "SIGINT"}, ...)
     * @param drainTimeout how long the shutdown waits for connections and mains to end
     * @throws IllegalArgumentException if the signal is unknown or may not be handled
     */
    void shutdownOnSignal(String signal, Duration drainTimeout);

    /**
     * Shuts the group down gracefully, and waits until that is done: (1) every server on the group
     * stops listening, on every loop, and {@link #waitShutdownRequested()} returns; (2) the
     * servers' connections and the running mains are given up to {@code drainTimeout} to end;
     * (3) then every task still running on any loop is cancelled and waited for (up to
     * {@code drainTimeout} again; what still runs is reported to its loop's exception handler)
     * and the servers' remaining connections are closed. The loops keep running (new tasks may be
     * submitted) until {@link #close()}. A second call waits for the first shutdown. Waits (see
     * above); cancelling the waiting task does not stop the shutdown.
     *
     * @param drainTimeout how long connections and mains may take to end by themselves
     * @throws IllegalStateException if the group is closed
     */
    void shutdown(Duration drainTimeout);

    /** {@return whether a shutdown began} */
    boolean isShuttingDown();

    /**
     * Waits until a {@link #shutdown} begins: for mains that end their own work when it does (a
     * main returning is what the shutdown's drain waits for). Waits (see above).
     */
    void waitShutdownRequested();

    /** {@return whether {@link #close()} was called} */
    boolean isClosed();

    /**
     * Closes the group: waits for a shutdown in progress to finish, stops the servers on the
     * group listening, then shuts each loop down as {@code Asyncio.run} does at its end (async
     * generators closed, every task still running cancelled and awaited, the default executor
     * shut down, the loop closed with its sockets) and waits for the loops' threads to end.
     * Idempotent. Blocks the calling thread.
     *
     * @throws IllegalStateException if called on one of the group's loops
     */
    @Override
    void close();
}
