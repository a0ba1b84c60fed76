package io.asyncio4j.sql;

import io.asyncio4j.sql.internal.Sneaky;
import io.asyncio4j.sql.internal.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/*
 * Implementation overview
 *
 * A forward-only result read `prefetch` rows at a time: the statement's JDBC fetch size is
 * `prefetch` (pgjdbc then keeps a server-side portal and fetches that many rows per round trip),
 * and each refill of `buffer` is one cancellable call that maps the next `prefetch` rows; memory
 * holds at most one batch of mapped rows and the driver's one batch. pgjdbc streams only inside a
 * transaction, so a cursor opened outside one begins its own (`ownsTransaction`): it commits when
 * the result was read to its end, and rolls back when the cursor is closed early or failed (an
 * abandoned read is treated as a cancelled statement). close() is cleanup: it closes the result
 * and the statement (the portal goes with them), ends the cursor's own transaction, and gives back
 * the connection a Database took for it, whatever cancellation arrives meanwhile. Loop thread (the
 * owning task) only.
 */

/**
 * An open query result read a batch of rows at a time, for a for-each loop inside
 * try-with-resources: asyncpg's cursor ({@code async for record in con.cursor(query)}).
 *
 * {@snippet :
 * try (Cursor<Row> rows = db.cursor("SELECT id, payload FROM items ORDER BY id")) {
 *     for (Row r : rows) {
 *         if (done(r)) break;           // close() ends the query on the server
 *     }
 * }
 * }
 *
 * <p>Each step of the iteration that needs the next batch suspends and checks for cancellation
 * (it throws what the driver throws, undeclared); a cancellation while the batch is read cancels
 * the query on the server. The iteration holds at most {@link DatabaseOptions#prefetch()} mapped
 * rows at a time. Outside a transaction the cursor runs in one of its own: committed when the
 * rows were read to the end, rolled back when the cursor is closed before, or failed. Closing it
 * runs to its end even in a cancelled task. A cursor is iterated once.
 *
 * @param <T> the row type
 */
public final class Cursor<T> implements Iterable<T>, AutoCloseable {
    private final DbConnection conn;
    private final boolean ownsConnection;
    private final boolean ownsTransaction;
    private final PreparedStatement ps;
    private final ResultSet rs;
    private final RowMapper<T> mapper;
    private final int prefetch;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private boolean exhausted;
    private boolean failed;
    private boolean closed;
    private boolean iterated;

    private Cursor(DbConnection conn, boolean ownsConnection, boolean ownsTransaction, PreparedStatement ps,
                   ResultSet rs, RowMapper<T> mapper, int prefetch) {
        this.conn = conn;
        this.ownsConnection = ownsConnection;
        this.ownsTransaction = ownsTransaction;
        this.ps = ps;
        this.rs = rs;
        this.mapper = mapper;
        this.prefetch = prefetch;
    }

    /** Opens a cursor on a connection; on failure leaves the connection as it was. */
    static <T> Cursor<T> open(DbConnection conn, boolean ownsConnection, int prefetch, String sql, RowMapper<T> mapper,
                              Object[] args) throws SQLException {
        Connection jdbc = conn.jdbc();
        record Opened(boolean ownsTransaction, PreparedStatement ps, ResultSet rs) {
        }
        Opened o = conn.cancellable(abort -> {
            abort.checkNotAborted();
            boolean ownTx = jdbc.getAutoCommit();
            if (ownTx) {
                jdbc.setAutoCommit(false);
            }
            PreparedStatement ps = null;
            try {
                ps = jdbc.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                ps.setFetchSize(prefetch);
                Statements.bind(ps, args);
                abort.arm(jdbc, ps);
                return new Opened(ownTx, ps, ps.executeQuery());
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    if (ps != null) {
                        ps.close();
                    }
                    if (ownTx) {
                        jdbc.rollback();
                        jdbc.setAutoCommit(true);
                    }
                } catch (SQLException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        });
        Cursor<T> c = new Cursor<>(conn, ownsConnection, o.ownsTransaction(), o.ps(), o.rs(), mapper, prefetch);
        conn.opened(c);
        return c;
    }

    /**
     * Returns the iterator of the rows; each {@code hasNext()} that needs the next batch suspends
     * and checks for cancellation, and throws what the driver throws (undeclared).
     *
     * @return the iterator
     * @throws IllegalStateException if the cursor was iterated already
     */
    @Override
    public Iterator<T> iterator() {
        if (iterated) {
            throw new IllegalStateException("a cursor is iterated once: open a new one to read the rows again");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return fill();
                } catch (SQLException e) {
                    throw Sneaky.rethrow(e);
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return buffer.poll();
            }
        };
    }

    /**
     * Reads the next batch of rows, at most the cursor's prefetch; an empty list means the end.
     * Suspends; checks for cancellation.
     *
     * @return the rows
     * @throws SQLException what the driver throws
     */
    public List<T> fetchBatch() throws SQLException {
        if (!fill()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(buffer);
        buffer.clear();
        return out;
    }

    /** Makes the buffer non-empty if rows remain; returns whether it is non-empty. */
    private boolean fill() throws SQLException {
        if (!buffer.isEmpty()) {
            return true;
        }
        if (closed) {
            throw new IllegalStateException("the cursor is closed");
        }
        if (exhausted) {
            return false;
        }
        Connection jdbc = conn.jdbc();
        List<T> batch = new ArrayList<>(Math.min(prefetch, 4096));
        try {
            exhausted = conn.cancellable(abort -> {
                abort.arm(jdbc, ps);
                return Statements.fetchBatch(rs, mapper, prefetch, batch);
            });
        } catch (SQLException | RuntimeException | Error e) {
            failed = true;
            throw e;
        }
        buffer.addAll(batch);
        return !buffer.isEmpty();
    }

    /** {@return whether every row was read} */
    public boolean isExhausted() {
        return exhausted && buffer.isEmpty();
    }

    /**
     * Closes the result and its statement, ends the cursor's own transaction (committed if every
     * row was read, else rolled back) and gives back the connection a {@link Database} took for
     * it; does nothing the second time. Runs to its end even in a cancelled task. Suspends on the
     * executor path.
     *
     * @throws SQLException the first failure of that cleanup
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        Connection jdbc = conn.jdbc();
        boolean commit = exhausted && !failed;
        SQLException failure = null;
        try {
            conn.cleanup(() -> {
                try {
                    try {
                        rs.close();
                    } finally {
                        ps.close();
                    }
                } finally {
                    if (ownsTransaction) {
                        try {
                            if (commit) {
                                jdbc.commit();
                            } else {
                                jdbc.rollback();
                            }
                        } finally {
                            jdbc.setAutoCommit(true);
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            failure = e;
        } finally {
            conn.closed(this);
        }
        if (ownsConnection) {
            failure = conn.closeKeeping(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "<Cursor" + (closed ? " closed" : exhausted ? " exhausted" : "") + " prefetch=" + prefetch + ">";
    }
}
