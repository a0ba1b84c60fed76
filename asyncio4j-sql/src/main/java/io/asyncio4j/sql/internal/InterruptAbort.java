package io.asyncio4j.sql.internal;

import io.asyncio4j.ThrowingRunnable;
import java.sql.SQLException;

/*
 * Implementation overview
 *
 * The abort of a call that blocks in a JDK wait nobody else can end: a pool's getConnection()
 * (HikariCP parks in a SynchronousQueue) or a DataSource opening a connection. The only generic
 * way to reach it is Thread.interrupt(), which a pool answers with an SQLException. The thread to
 * interrupt is the one running the call (the task's virtual thread, or an executor thread), and
 * only while it runs it: enter() and exit() bracket the call, the abort interrupts under the same
 * monitor, and exit() clears the interrupt status, so no interrupt leaks into what the thread
 * does next. An abort before enter() makes enter() throw: the call never starts.
 */

/** Interrupts the thread that runs a blocking call, only while it runs it; see the overview. */
public final class InterruptAbort implements ThrowingRunnable {
    private Thread runner;
    private boolean aborted;

    /**
     * The current thread starts the call.
     *
     * @throws SQLException (SQLState 57014) if the call was cancelled before it started
     */
    public synchronized void enter() throws SQLException {
        if (aborted) {
            throw new SQLException("the call was cancelled before it started", "57014");
        }
        runner = Thread.currentThread();
    }

    /** The call has returned: no interrupt reaches the thread any more, and none is left set. */
    public synchronized void exit() {
        runner = null;
        Thread.interrupted();
    }

    @Override
    public synchronized void run() {
        aborted = true;
        if (runner != null) {
            runner.interrupt();
        }
    }
}
