package io.asyncio4j.sql.internal;

import io.asyncio4j.ThrowingRunnable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/*
 * Implementation overview
 *
 * The abort of one cancellable JDBC call (Asyncio.onCancel's abort): it runs on the loop's
 * executor while the call is blocked, and asks the server to stop what the call runs there.
 *
 * The call arms it with the statement it is about to run (`target`, volatile: the call's thread
 * writes, the executor's reads). If the abort comes first, `aborted` makes arm() throw, so a call
 * cancelled before it reached the driver never starts (on the executor path the call may still be
 * queued). If it comes after, the abort cancels: pgjdbc through PGConnection.cancelQuery() (a
 * CancelRequest for whatever the connection's backend runs: pgjdbc's Statement.cancel() is a no-op
 * while a cursor's next batch is fetched, since fetching is no statement execution for it), any
 * other driver through Statement.cancel(). A cancel that arrives just before the driver marks the
 * statement running (pgjdbc ignores it then) or before the server starts the query (an idle
 * backend ignores it) would be lost, so the abort repeats it, 5 ms, 20 ms, 80 ms ... 1 s apart,
 * until the call has returned (`done`), for about 7 s at most. Asyncio.onCancel waits for the
 * abort before the connection is used again, so no cancel request is in flight when the next
 * statement starts.
 */

/** Cancels the statement a blocked JDBC call runs; see the overview. */
public final class StatementAbort implements ThrowingRunnable {
    private static final int ATTEMPTS = 12;
    private static final ConcurrentHashMap<ClassLoader, Object> PG_CANCEL = new ConcurrentHashMap<>();
    private static final Object NONE = new Object();

    private volatile Statement target;
    private volatile Connection connection;
    private volatile boolean aborted;
    private final CountDownLatch done = new CountDownLatch(1);

    /**
     * The call is about to run a statement: a cancellation from now on cancels it.
     *
     * @param c the statement's connection
     * @param st the statement
     * @throws SQLException (SQLState 57014) if the call was cancelled before it got here
     */
    public void arm(Connection c, Statement st) throws SQLException {
        connection = c;
        target = st;
        if (aborted) {
            throw cancelledBeforeStart();
        }
    }

    /**
     * Checks, before a call runs anything, that it was not cancelled already.
     *
     * @throws SQLException (SQLState 57014) if it was
     */
    public void checkNotAborted() throws SQLException {
        if (aborted) {
            throw cancelledBeforeStart();
        }
    }

    /** The call has returned: the abort stops repeating itself. */
    void done() {
        done.countDown();
    }

    @Override
    public void run() throws SQLException, InterruptedException {
        aborted = true;
        SQLException failure = null;
        long waitMs = 5;
        for (int attempt = 0; attempt < ATTEMPTS && done.getCount() > 0; attempt++) {
            Statement st = target;
            if (st != null) {
                try {
                    cancel(connection, st);
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            if (done.await(waitMs, TimeUnit.MILLISECONDS)) {
                return;
            }
            waitMs = Math.min(waitMs * 4, 1000);
        }
        if (failure != null && done.getCount() > 0) {
            throw failure;
        }
    }

    private static void cancel(Connection c, Statement st) throws SQLException {
        MethodHandle pg = c == null ? null : pgCancel(c);
        if (pg != null && c.isWrapperFor(pgConnectionClass(c))) {
            try {
                pg.invoke(c.unwrap(pgConnectionClass(c)));
                return;
            } catch (SQLException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new SQLException("PGConnection.cancelQuery failed", e);
            }
        }
        st.cancel();
    }

    /** {@return pgjdbc's PGConnection.cancelQuery(), when pgjdbc is the connection's driver, else null} */
    private static MethodHandle pgCancel(Connection c) {
        Object h = PG_CANCEL.computeIfAbsent(loaderOf(c), StatementAbort::lookUpPgCancel);
        return h == NONE ? null : (MethodHandle) h;
    }

    private static Class<?> pgConnectionClass(Connection c) {
        return ((MethodHandle) PG_CANCEL.get(loaderOf(c))).type().parameterType(0);
    }

    private static ClassLoader loaderOf(Connection c) {
        ClassLoader l = c.getClass().getClassLoader();
        return l != null ? l : ClassLoader.getPlatformClassLoader();
    }

    private static Object lookUpPgCancel(ClassLoader loader) {
        try {
            Class<?> pg = Class.forName("org.postgresql.PGConnection", false, loader);
            return MethodHandles.publicLookup().findVirtual(pg, "cancelQuery", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return NONE;
        }
    }

    private static SQLException cancelledBeforeStart() {
        return new SQLException("the call was cancelled before it started", "57014");
    }
}
