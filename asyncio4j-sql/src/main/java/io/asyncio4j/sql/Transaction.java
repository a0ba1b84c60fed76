package io.asyncio4j.sql;

import io.asyncio4j.sql.internal.Calls;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/*
 * Implementation overview
 *
 * A transaction is ACTIVE until commit(), rollback() or close() ends it (COMMITTED or ROLLED_BACK;
 * close() of an active one rolls back). A top-level one turns the connection's auto-commit off at
 * begin and restores it (and the isolation level it changed) at its end; one begun inside an open
 * transaction is a savepoint, chained to its `parent` through DbConnection.transaction. Ends are
 * LIFO: commit() and rollback() refuse while an inner one is active; close() rolls the inner ones
 * back with it, as the database does. Ending is cleanup (DbConnection.cleanup): it runs to its end
 * whatever cancellation arrives meanwhile, so a cancelled task still leaves the database clean and
 * learns the real outcome of a commit it started; a cancellation already pending before commit()
 * is thrown instead (nothing was committed; close() then rolls back). A transaction begun by a
 * Database owns its connection and gives it back at its end.
 */

/**
 * A database transaction (or, inside one, a savepoint), for try-with-resources: asyncpg's
 * {@code Transaction}. Unless {@link #commit()} ran, closing it rolls back, so an exception or a
 * cancellation leaving the block leaves nothing behind; the rollback runs to its end even in a
 * cancelled task.
 *
 * {@snippet :
 * try (Transaction tx = db.transaction()) {
 *     tx.execute("INSERT INTO orders VALUES (?, ?)", id, total);
 *     try (Transaction sp = tx.transaction()) {     // a savepoint
 *         sp.execute("INSERT INTO audit VALUES (?)", id);
 *         sp.commit();                              // releases the savepoint
 *     }
 *     tx.commit();
 * }
 * }
 *
 * <p>Its query methods run on the transaction's connection. Transactions end in the reverse
 * order of their beginning.
 */
public final class Transaction extends Queries implements AutoCloseable {
    private enum State { ACTIVE, COMMITTED, ROLLED_BACK }

    private final DbConnection conn;
    private final Transaction parent;
    private final Savepoint savepoint;
    private final boolean ownsConnection;
    private final boolean previousAutoCommit;
    /** The isolation level to restore, or -1. */
    private final int previousIsolation;
    private State state = State.ACTIVE;

    private Transaction(DbConnection conn, Transaction parent, Savepoint savepoint, boolean ownsConnection,
                        boolean previousAutoCommit, int previousIsolation) {
        this.conn = conn;
        this.parent = parent;
        this.savepoint = savepoint;
        this.ownsConnection = ownsConnection;
        this.previousAutoCommit = previousAutoCommit;
        this.previousIsolation = previousIsolation;
    }

    /** Begins a transaction on a connection, or a savepoint in its open one. */
    static Transaction begin(DbConnection conn, Isolation isolation, boolean ownsConnection) throws SQLException {
        Connection jdbc = conn.jdbc();
        Transaction open = conn.transaction;
        if (open != null) {
            if (isolation != null) {
                throw new IllegalStateException("a transaction is open already: a savepoint inside it cannot set an "
                        + "isolation level");
            }
            Savepoint sp = conn.cancellable(abort -> {
                abort.checkNotAborted();
                return jdbc.setSavepoint();
            });
            Transaction t = new Transaction(conn, open, sp, ownsConnection, false, -1);
            conn.transaction = t;
            return t;
        }
        record Begun(boolean autoCommit, int isolation) {
        }
        Begun b = conn.cancellable(abort -> {
            abort.checkNotAborted();
            boolean autoCommit = jdbc.getAutoCommit();
            int previous = -1;
            if (isolation != null) {
                previous = jdbc.getTransactionIsolation();
            }
            jdbc.setAutoCommit(false);
            try {
                if (isolation != null) {
                    jdbc.setTransactionIsolation(isolation.jdbcLevel());
                }
            } catch (SQLException | RuntimeException e) {
                jdbc.setAutoCommit(autoCommit);
                throw e;
            }
            return new Begun(autoCommit, previous);
        });
        Transaction t = new Transaction(conn, null, null, ownsConnection, b.autoCommit(), b.isolation());
        conn.transaction = t;
        return t;
    }

    /** {@return whether the transaction is open (neither committed nor rolled back)} */
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** {@return whether this is a savepoint inside another transaction} */
    public boolean isSavepoint() {
        return savepoint != null;
    }

    /** {@return the connection the transaction runs on} */
    public DbConnection connection() {
        return conn;
    }

    /** {@return the transaction this savepoint is in, or {@code null} for a top-level one} */
    Transaction parent() {
        return parent;
    }

    /**
     * Commits the transaction (releases the savepoint). A cancellation pending when it is called
     * is thrown instead, and nothing is committed; once the commit has started it runs to its end,
     * and this method returns normally if it succeeded (a cancellation arriving meanwhile waits for
     * the next suspension point), so the caller knows the outcome. Suspends; checks for
     * cancellation first.
     *
     * @throws SQLException if the commit fails (the transaction is then rolled back)
     * @throws IllegalStateException if it has ended, or a savepoint inside it is still active
     */
    public void commit() throws SQLException {
        checkEndable("commit");
        Calls.checkpoint();
        Connection jdbc = conn.jdbc();
        try {
            conn.cleanup(() -> {
                if (savepoint != null) {
                    jdbc.releaseSavepoint(savepoint);
                } else {
                    jdbc.commit();
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            try {
                end(State.ROLLED_BACK, true);
            } catch (SQLException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        end(State.COMMITTED, false);
    }

    /**
     * Rolls the transaction back (to the savepoint). Runs to its end even in a cancelled task.
     * Suspends on the executor path.
     *
     * @throws SQLException if the rollback fails (the transaction counts as ended)
     * @throws IllegalStateException if it has ended, or a savepoint inside it is still active
     */
    public void rollback() throws SQLException {
        checkEndable("rollback");
        end(State.ROLLED_BACK, true);
    }

    /**
     * Ends the transaction: rolls it back unless it was committed or rolled back, with the
     * savepoints still active inside it, and gives back the connection a {@link Database} took for
     * it. Runs to its end even in a cancelled task; does nothing the second time. Suspends on the
     * executor path.
     *
     * @throws SQLException if the rollback fails
     */
    @Override
    public void close() throws SQLException {
        if (state == State.ACTIVE) {
            Transaction inner = conn.transaction;
            while (inner != null && inner != this) {
                inner.state = State.ROLLED_BACK;
                inner = inner.parent;
            }
            conn.transaction = this;
            end(State.ROLLED_BACK, true);
        }
    }

    private void checkEndable(String what) {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("cannot " + what + ": the transaction was "
                    + (state == State.COMMITTED ? "committed" : "rolled back") + " already");
        }
        if (conn.transaction != this) {
            throw new IllegalStateException("cannot " + what + " a transaction while a savepoint inside it is active: "
                    + "end the inner one first");
        }
    }

    /** Ends the transaction (rolling back if asked), restores the connection, gives it back if owned. */
    private void end(State outcome, boolean rollBack) throws SQLException {
        state = outcome;
        conn.transaction = parent;
        Connection jdbc = conn.jdbc();
        SQLException failure = null;
        try {
            conn.cleanup(() -> {
                try {
                    if (rollBack) {
                        if (savepoint != null) {
                            jdbc.rollback(savepoint);
                            jdbc.releaseSavepoint(savepoint);
                        } else {
                            jdbc.rollback();
                        }
                    }
                } finally {
                    if (savepoint == null) {
                        if (previousIsolation >= 0) {
                            jdbc.setTransactionIsolation(previousIsolation);
                        }
                        jdbc.setAutoCommit(previousAutoCommit);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            failure = e;
        }
        if (ownsConnection) {
            failure = conn.closeKeeping(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    <T> T run(ConnectionCall<T> call) throws SQLException {
        checkActive();
        return conn.run(call);
    }

    @Override
    <T> Cursor<T> openCursor(int prefetch, String sql, RowMapper<T> mapper, Object[] args) throws SQLException {
        checkActive();
        return Cursor.open(conn, false, prefetch, sql, mapper, args);
    }

    @Override
    Transaction begin(Isolation isolation) throws SQLException {
        checkActive();
        if (conn.transaction != this) {
            throw new IllegalStateException("a savepoint inside this transaction is active: begin the next one in it");
        }
        return Transaction.begin(conn, isolation, false);
    }

    @Override
    Database database() {
        return conn.database();
    }

    private void checkActive() {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("the transaction was " + (state == State.COMMITTED ? "committed" : "rolled back")
                    + ": use a new one");
        }
    }

    @Override
    public String toString() {
        return "<Transaction " + state.name().toLowerCase(java.util.Locale.ROOT) + (savepoint != null ? " savepoint" : "")
                + ">";
    }
}
