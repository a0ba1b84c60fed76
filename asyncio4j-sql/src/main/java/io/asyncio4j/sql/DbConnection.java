package io.asyncio4j.sql;

import io.asyncio4j.sql.internal.Calls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/*
 * Implementation overview
 *
 * A connection taken from a Database's data source for one task's sequence of calls. `busy` is set
 * while a JDBC call runs on it (the task is blocked in it, or waits for the executor thread that
 * runs it): a second call meanwhile (another task using the same connection, or a row mapper
 * calling back) fails loudly instead of interleaving on the wire. `transaction` is the innermost
 * open Transaction (savepoints chain to their parent), `cursors` the open cursors: close() ends
 * them (cursors first, then the outermost transaction is rolled back) before the connection goes
 * back to the pool, so its next user finds no open transaction and no open portal. Loop thread
 * (the owning task) only.
 */

/**
 * A connection of a {@link Database}, held for several calls: asyncpg's {@code Connection} as
 * {@code pool.acquire()} gives it. Its query methods are those of {@link Queries}; statements
 * outside a {@link Transaction} commit on their own (JDBC's auto-commit). {@link #close()} gives
 * it back to the pool.
 *
 * <p>A connection serves one call at a time: use it from one task (each task acquires its own).
 */
public final class DbConnection extends Queries implements AutoCloseable {
    private final Database db;
    private final Connection jdbc;
    private final Calls calls;
    private boolean released;
    private boolean busy;
    /** The innermost open transaction or savepoint. */
    Transaction transaction;
    private final List<Cursor<?>> cursors = new ArrayList<>();

    DbConnection(Database db, Connection jdbc, Calls calls) {
        this.db = db;
        this.jdbc = Objects.requireNonNull(jdbc, "connection");
        this.calls = calls;
    }

    /**
     * {@return the JDBC connection}, for what this API does not cover (metadata, driver
     * extensions). Its calls block the task as the driver does (with an embedded driver, or on the
     * compatibility scheduler, they hold the loop) and a cancellation reaches them only when they
     * return; make them between this connection's own calls, never concurrently with one.
     * Never suspends.
     */
    public Connection jdbc() {
        return jdbc;
    }

    /** {@return whether the connection was given back} */
    public boolean isClosed() {
        return released;
    }

    /**
     * Begins a transaction at an isolation level, for try-with-resources. Suspends; checks for
     * cancellation.
     *
     * @param isolation the isolation level
     * @return the open transaction
     * @throws SQLException what the driver throws
     * @throws IllegalStateException if a transaction is open already (a savepoint has no
     *     isolation level of its own)
     */
    public Transaction transaction(Isolation isolation) throws SQLException {
        Objects.requireNonNull(isolation, "isolation");
        return begin(isolation);
    }

    /**
     * Runs a body in a transaction at an isolation level: committed when the body returns,
     * rolled back when it throws. Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param isolation the isolation level
     * @param body the body
     * @return the body's result
     * @throws SQLException what the driver throws
     */
    public <T> T transaction(Isolation isolation, TransactionBody<T> body) throws SQLException {
        return inTransaction(transaction(isolation), body);
    }

    /**
     * Gives the connection back to its pool (closes it, for a plain data source), after closing
     * the cursors and rolling back the transaction still open on it; does nothing the second
     * time. Runs to its end even when the task is cancelled meanwhile (the cancellation then
     * waits for the next suspension point). Suspends on the executor path.
     *
     * @throws SQLException the first failure of that cleanup; the connection is given back all
     *     the same
     * @throws IllegalStateException if a call is running on the connection
     */
    @Override
    public void close() throws SQLException {
        if (released) {
            return;
        }
        if (busy) {
            throw new IllegalStateException("the connection is in use by a call: close it from the task that uses it, "
                    + "after the call");
        }
        SQLException failure = null;
        for (Cursor<?> c : List.copyOf(cursors)) {
            try {
                c.close();
            } catch (SQLException e) {
                failure = first(failure, e);
            }
        }
        Transaction outermost = transaction;
        while (outermost != null && outermost.parent() != null) {
            outermost = outermost.parent();
        }
        if (outermost != null) {
            try {
                outermost.close();
            } catch (SQLException e) {
                failure = first(failure, e);
            }
        }
        released = true;
        try {
            calls.uncancellable(() -> {
                jdbc.close();
                return null;
            });
        } catch (SQLException e) {
            failure = first(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Gives the connection back after cleanup that may have failed (a cursor's, a transaction's).
     *
     * @param failure the cleanup's failure, or {@code null}
     * @return the first failure of the two, the other suppressed in it, or {@code null}
     */
    SQLException closeKeeping(SQLException failure) {
        try {
            close();
        } catch (SQLException e) {
            return first(failure, e);
        }
        return failure;
    }

    private static SQLException first(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    // ------------------------------------------------------------------ for the package

    @Override
    <T> T run(ConnectionCall<T> call) throws SQLException {
        enter();
        try {
            return calls.cancellable(abort -> call.run(jdbc, abort));
        } finally {
            busy = false;
        }
    }

    /** Runs cleanup on the connection to its end (rollback, closing a cursor). */
    <T> T cleanup(Calls.JdbcCall<T> call) throws SQLException {
        enter();
        try {
            return calls.uncancellable(call);
        } finally {
            busy = false;
        }
    }

    /** Runs a call that a cancellation reaches, on the connection. */
    <T> T cancellable(Calls.StatementCall<T> call) throws SQLException {
        enter();
        try {
            return calls.cancellable(call);
        } finally {
            busy = false;
        }
    }

    private void enter() {
        if (released) {
            throw new IllegalStateException("the connection was given back to its pool (closed)");
        }
        if (busy) {
            throw new IllegalStateException("the connection is in use by another call: a connection serves one call "
                    + "at a time (acquire a connection per task; a row mapper must not query)");
        }
        busy = true;
    }

    void opened(Cursor<?> c) {
        cursors.add(c);
    }

    void closed(Cursor<?> c) {
        cursors.remove(c);
    }

    @Override
    <T> Cursor<T> openCursor(int prefetch, String sql, RowMapper<T> mapper, Object[] args) throws SQLException {
        return Cursor.open(this, false, prefetch, sql, mapper, args);
    }

    @Override
    Transaction begin(Isolation isolation) throws SQLException {
        return Transaction.begin(this, isolation, false);
    }

    @Override
    Database database() {
        return db;
    }

    @Override
    public String toString() {
        return "<DbConnection" + (released ? " closed" : "") + (transaction != null ? " in transaction" : "") + " "
                + jdbc + ">";
    }
}
