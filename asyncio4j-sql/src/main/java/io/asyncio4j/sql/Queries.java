package io.asyncio4j.sql;

import io.asyncio4j.sql.internal.StatementAbort;
import io.asyncio4j.sql.internal.Statements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The queries that a {@link Database} (on a connection of its pool for each call), a
 * {@link DbConnection} and a {@link Transaction} run alike: asyncpg's {@code fetch},
 * {@code fetchrow}, {@code fetchval}, {@code execute}, {@code executemany}, {@code cursor} and
 * {@code transaction}. Code that takes a {@code Queries} works with any of the three.
 *
 * <p>SQL uses JDBC's {@code ?} placeholders; arguments are bound in order with
 * {@code setObject}. Every method suspends and checks for cancellation: a cancellation (the
 * task's, or an expired timeout's, or a failing task group's) that arrives while the statement
 * runs cancels it on the server, and the method throws the {@code CancelledError} or
 * {@code TimeoutError} once the driver has returned, with the driver's own exception suppressed in
 * it. The connection is then clean for its next user: the statement is over, its result read or
 * discarded, and a transaction it ran in is rolled back when its {@link Transaction} closes.
 */
public abstract sealed class Queries permits Database, DbConnection, Transaction {

    /** One JDBC call on a connection, armed with the abort that cancels its statement. */
    @FunctionalInterface
    interface ConnectionCall<T> {
        T run(Connection c, StatementAbort abort) throws SQLException;
    }

    Queries() {
    }

    /** Runs one call on a connection of this object (taking one from the pool for a database). */
    abstract <T> T run(ConnectionCall<T> call) throws SQLException;

    /** Opens a cursor on a connection of this object. */
    abstract <T> Cursor<T> openCursor(int prefetch, String sql, RowMapper<T> mapper, Object[] args)
            throws SQLException;

    /** Begins a transaction, or a savepoint inside the open one. */
    abstract Transaction begin(Isolation isolation) throws SQLException;

    /** The database whose options apply. */
    abstract Database database();

    /**
     * Runs a query and returns every row: asyncpg's {@code fetch}. Suspends; checks for
     * cancellation.
     *
     * @param sql the query
     * @param args the arguments
     * @return the rows
     * @throws SQLException what the driver throws
     */
    public final List<Row> fetch(String sql, Object... args) throws SQLException {
        return fetch(sql, Row.mapper(), args);
    }

    /**
     * Runs a query and maps every row. Suspends; checks for cancellation.
     *
     * {@snippet :
     * List<Item> items = db.fetch("SELECT id, payload FROM items WHERE id < ?",
     *         rs -> new Item(rs.getInt(1), rs.getString(2)), 100);
     * }
     *
     * @param <T> the row type
     * @param sql the query
     * @param mapper maps each row
     * @param args the arguments
     * @return the rows
     * @throws SQLException what the driver throws
     */
    public final <T> List<T> fetch(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        check(sql, mapper, args);
        return run((c, abort) -> Statements.fetch(c, abort, sql, mapper, Integer.MAX_VALUE, args));
    }

    /**
     * Runs a query and returns its first row, if any: asyncpg's {@code fetchrow}. Suspends;
     * checks for cancellation.
     *
     * @param sql the query
     * @param args the arguments
     * @return the first row, or empty
     * @throws SQLException what the driver throws
     */
    public final Optional<Row> fetchRow(String sql, Object... args) throws SQLException {
        return fetchRow(sql, Row.mapper(), args);
    }

    /**
     * Runs a query and maps its first row, if any. Suspends; checks for cancellation.
     *
     * @param <T> the row type
     * @param sql the query
     * @param mapper maps the row (a {@code null} it returns reads as no row)
     * @param args the arguments
     * @return the mapped first row, or empty
     * @throws SQLException what the driver throws
     */
    public final <T> Optional<T> fetchRow(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        check(sql, mapper, args);
        List<T> rows = run((c, abort) -> Statements.fetch(c, abort, sql, mapper, 1, args));
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /**
     * Runs a query and returns the first column of its first row: asyncpg's {@code fetchval}.
     * Suspends; checks for cancellation.
     *
     * {@snippet :
     * long n = db.fetchVal("SELECT count(*) FROM items", Long.class);
     * }
     *
     * @param <T> the value's type
     * @param sql the query
     * @param type the value's type, read with {@code getObject(1, type)}
     * @param args the arguments
     * @return the value, or {@code null} for SQL NULL or no row
     * @throws SQLException what the driver throws (one that cannot convert the column to
     *     {@code type} throws here)
     */
    public final <T> T fetchVal(String sql, Class<T> type, Object... args) throws SQLException {
        Objects.requireNonNull(type, "type");
        RowMapper<T> first = rs -> type == Object.class ? type.cast(rs.getObject(1)) : rs.getObject(1, type);
        return fetchRow(sql, first, args).orElse(null);
    }

    /**
     * Runs a statement and returns its update count: asyncpg's {@code execute} (which returns
     * the status line instead). Suspends; checks for cancellation.
     *
     * @param sql the statement
     * @param args the arguments
     * @return the update count; 0 for a statement that returns rows or no count
     * @throws SQLException what the driver throws
     */
    public final long execute(String sql, Object... args) throws SQLException {
        check(sql, Row.mapper(), args);
        return run((c, abort) -> Statements.execute(c, abort, sql, args));
    }

    /**
     * Runs a statement once per argument list, as one JDBC batch: asyncpg's
     * {@code executemany}. Outside a transaction, each execution commits on its own (JDBC's
     * auto-commit). Suspends; checks for cancellation.
     *
     * @param sql the statement
     * @param argsList one argument list per execution
     * @return each execution's update count
     * @throws SQLException what the driver throws ({@link java.sql.BatchUpdateException} when one
     *     fails)
     */
    public final long[] executeMany(String sql, List<? extends List<?>> argsList) throws SQLException {
        Objects.requireNonNull(sql, "sql");
        List<? extends List<?>> copy = List.copyOf(argsList);
        return run((c, abort) -> Statements.executeMany(c, abort, sql, copy));
    }

    /**
     * Opens a cursor over a query's rows, read {@link DatabaseOptions#prefetch()} rows at a time:
     * asyncpg's {@code cursor}. Iterate it with a for-each loop inside try-with-resources.
     * Suspends; checks for cancellation.
     *
     * @param sql the query
     * @param args the arguments
     * @return the open cursor
     * @throws SQLException what the driver throws
     */
    public final Cursor<Row> cursor(String sql, Object... args) throws SQLException {
        return cursor(sql, Row.mapper(), args);
    }

    /**
     * Opens a cursor over a query's mapped rows, read {@link DatabaseOptions#prefetch()} rows at
     * a time. Suspends; checks for cancellation.
     *
     * {@snippet :
     * try (Cursor<Item> items = db.cursor("SELECT id, payload FROM items", Item::of)) {
     *     for (Item it : items) {          // fetches the next rows as the loop needs them
     *         handle(it);
     *     }
     * }                                     // closes the cursor, however the loop ends
     * }
     *
     * @param <T> the row type
     * @param sql the query
     * @param mapper maps each row
     * @param args the arguments
     * @return the open cursor
     * @throws SQLException what the driver throws
     */
    public final <T> Cursor<T> cursor(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        return cursor(database().options().prefetch(), sql, mapper, args);
    }

    /**
     * Opens a cursor that reads {@code prefetch} rows at a time (its JDBC fetch size: so many
     * rows are in memory at once, twice that at most while the next ones arrive). Suspends;
     * checks for cancellation.
     *
     * @param <T> the row type
     * @param prefetch rows per fetch, positive
     * @param sql the query
     * @param mapper maps each row
     * @param args the arguments
     * @return the open cursor
     * @throws SQLException what the driver throws
     */
    public final <T> Cursor<T> cursor(int prefetch, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
        }
        check(sql, mapper, args);
        return openCursor(prefetch, sql, mapper, args.clone());
    }

    /**
     * Begins a transaction, for try-with-resources: asyncpg's {@code transaction()}. Inside an
     * open transaction it is a savepoint: its rollback undoes only what ran since it began.
     * Suspends; checks for cancellation.
     *
     * {@snippet :
     * try (Transaction tx = db.transaction()) {
     *     tx.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", 10, from);
     *     tx.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", 10, to);
     *     tx.commit();
     * }   // not committed (an exception, a cancellation): rolled back
     * }
     *
     * @return the open transaction
     * @throws SQLException what the driver throws
     */
    public final Transaction transaction() throws SQLException {
        return begin(null);
    }

    /**
     * Runs a body in a transaction: committed when the body returns, rolled back when it throws
     * (a cancellation included). Suspends; checks for cancellation.
     *
     * @param <T> the result type
     * @param body the body
     * @return the body's result
     * @throws SQLException what the driver throws; the body's own exceptions pass unchanged
     */
    public final <T> T transaction(TransactionBody<T> body) throws SQLException {
        return inTransaction(begin(null), body);
    }

    static <T> T inTransaction(Transaction begun, TransactionBody<T> body) throws SQLException {
        Objects.requireNonNull(body, "body");
        try (Transaction tx = begun) {
            T value;
            try {
                value = body.run(tx);
            } catch (SQLException | RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw io.asyncio4j.sql.internal.Sneaky.rethrow(e);
            }
            if (tx.isActive()) {
                tx.commit();
            }
            return value;
        }
    }

    private static void check(String sql, Object mapper, Object[] args) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(args, "args");
    }
}
