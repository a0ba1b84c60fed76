package io.asyncio4j.sql.internal;

import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.onCancel;
import static io.asyncio4j.Asyncio.shieldedScope;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/*
 * Implementation overview
 *
 * Where a database's JDBC calls run, and how a cancellation reaches them. Two strategies behind
 * one API:
 *
 *  - in the task (network drivers on the fast scheduler): the call blocks the task's virtual
 *    thread inside the JDK (a socket read), which parks only the task; the loop goes on.
 *  - on an executor (embedded drivers, which do file I/O or native calls that hold their thread,
 *    and every driver on the compatibility scheduler, where any blocking call holds the loop):
 *    the task waits for the executor thread at a suspension point, shielded, because the
 *    connection is in use there until the call returns, whatever happens to the task.
 *
 * Either way the call runs under Asyncio.onCancel: a cancellation starts an abort on the loop's
 * executor (StatementAbort cancels on the server; InterruptAbort interrupts a wait in a pool), and
 * the task throws its CancelledError or TimeoutError once the call has returned and the abort has
 * finished: the connection is never used by two threads, and no cancel request is left in flight.
 * Cleanup (rollback, close, returning the connection) is uncancellable: it runs to its end, and a
 * cancellation that arrives meanwhile waits for the next suspension point.
 */

/** Runs JDBC calls in the task or on an executor, reachable by cancellation; see the overview. */
public final class Calls {
    /** A JDBC call armed with the abort that can cancel what it runs. */
    @FunctionalInterface
    public interface StatementCall<T> {
        /**
         * Runs the call.
         *
         * @param abort to arm with each statement before running it
         * @return the result
         * @throws SQLException what the driver throws
         */
        T run(StatementAbort abort) throws SQLException;
    }

    /** A JDBC call with no statement to cancel. */
    @FunctionalInterface
    public interface JdbcCall<T> {
        /**
         * Runs the call.
         *
         * @return the result
         * @throws SQLException what the driver throws
         */
        T run() throws SQLException;
    }

    /**
     * Where executor-path acquisitions wait: threads of their own, never the call executor's. A
     * pool's getConnection() blocks its thread until a connection is free; on the call executor,
     * the waiting acquisitions would take the threads that the connections' holders need to run
     * their calls and give the connections back (with 6 threads, 20 connections and 100 tasks,
     * the pool times out). A virtual thread per acquisition (on the JDK's scheduler, not a loop):
     * a wait costs no platform thread, and none outlives its acquisition.
     */
    private static final Executor ACQUIRING =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("asyncio4j-sql-acquire").factory());

    private final boolean inTask;
    private final Executor executor;

    private Calls(boolean inTask, Executor executor) {
        this.inTask = inTask;
        this.executor = executor;
    }

    /** {@return calls that run in the calling task} */
    public static Calls inTask() {
        return new Calls(true, null);
    }

    /**
     * Calls that run on an executor.
     *
     * @param executor the executor, or {@code null} for the loop's default executor
     * @return the strategy
     */
    public static Calls onExecutor(Executor executor) {
        return new Calls(false, executor);
    }

    /** {@return whether calls run in the calling task} */
    public boolean isInTask() {
        return inTask;
    }

    /**
     * Runs a call whose statements a cancellation cancels on the server. Suspends; checks for
     * cancellation.
     *
     * @param <T> the result type
     * @param call the call
     * @return its result
     * @throws SQLException what the driver throws
     */
    public <T> T cancellable(StatementCall<T> call) throws SQLException {
        StatementAbort abort = new StatementAbort();
        return onCancel(abort, () -> {
            try {
                return inTask ? call.run(abort) : onExecutor(() -> call.run(abort));
            } finally {
                abort.done();
            }
        });
    }

    /**
     * Takes a connection from a data source (a pool's wait, or a new connection); a cancellation
     * interrupts the wait, and a connection obtained all the same is closed before the
     * cancellation is thrown. Suspends; checks for cancellation.
     *
     * @param ds the data source
     * @return the connection
     * @throws SQLException what the data source throws
     */
    public Connection acquire(DataSource ds) throws SQLException {
        InterruptAbort abort = new InterruptAbort();
        Connection[] got = new Connection[1];
        Callable<Connection> get = () -> {
            abort.enter();
            try {
                got[0] = ds.getConnection();
                return got[0];
            } finally {
                abort.exit();
            }
        };
        try {
            return onCancel(abort, () -> inTask ? get.call() : await(ACQUIRING, get));
        } catch (Throwable e) {
            Connection c = got[0];
            if (c != null) {
                try {
                    uncancellable(() -> {
                        c.close();
                        return null;
                    });
                } catch (Throwable closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    /**
     * Runs cleanup that must finish: a cancellation meanwhile waits for the next suspension
     * point. Suspends only on the executor path.
     *
     * @param <T> the result type
     * @param call the call
     * @return its result
     * @throws SQLException what the driver throws
     */
    public <T> T uncancellable(JdbcCall<T> call) throws SQLException {
        if (inTask) {
            return call.run();
        }
        return onExecutor(call::run);
    }

    /**
     * Throws the cancellation pending for the current task, if any (trio's
     * {@code checkpoint_if_cancelled}), before work that must not start once cancelled. Suspends
     * only to throw.
     */
    public static void checkpoint() {
        onCancel(() -> { }, () -> null);
    }

    /** Runs a call on the executor and waits for it, shielded: the connection is busy until it returns. */
    private <T> T onExecutor(Callable<T> call) {
        return await(executor, call);
    }

    /** Runs a call on an executor ({@code null}: the loop's default one) and waits for it, shielded. */
    private static <T> T await(Executor executor, Callable<T> call) {
        EventLoop loop = getRunningLoop();
        Future<T> f = executor == null ? loop.runInExecutor(call) : loop.runInExecutor(executor, call);
        try (var _ = shieldedScope()) {
            return io.asyncio4j.Asyncio.await(f);
        }
    }
}
