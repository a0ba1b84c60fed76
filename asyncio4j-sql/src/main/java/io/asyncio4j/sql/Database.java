package io.asyncio4j.sql;

import io.asyncio4j.Asyncio;
import io.asyncio4j.SchedulerMode;
import io.asyncio4j.sql.internal.Calls;
import io.asyncio4j.sql.internal.EmbeddedDrivers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A database reached through a JDBC {@link DataSource} (a pool such as HikariCP, or a driver's
 * own data source), used from tasks: asyncpg's {@code Pool}. The front door of asyncio4j sql.
 *
 * {@snippet :
 * HikariDataSource pool = new HikariDataSource(config);      // any DataSource
 * Database db = Database.of(pool);
 *
 * Optional<Row> item = db.fetchRow("SELECT id, payload FROM items WHERE id = ?", 42);
 * long n = db.fetchVal("SELECT count(*) FROM items", Long.class);
 * db.execute("UPDATE items SET payload = ? WHERE id = ?", "new", 42);
 *
 * try (Transaction tx = db.transaction()) {                   // rolled back unless committed
 *     tx.execute("INSERT INTO log VALUES (?)", "moved");
 *     tx.commit();
 * }
 *
 * try (DbConnection c = db.acquire()) {                       // one connection for several calls
 *     c.execute("SET search_path TO app");
 *     List<Row> rows = c.fetch("SELECT * FROM users");
 * }
 * }
 *
 * <p>Each query method of the database takes a connection from the data source for the call and
 * gives it back afterwards. Where the JDBC calls run is the {@link CallMode}: in the task for
 * network drivers on the fast scheduler (their socket reads park only the task), on an executor
 * for embedded drivers and on the compatibility scheduler. Either way the loop stays responsive,
 * and a cancellation reaches the server (see {@link Queries}).
 *
 * <p>A {@code Database} holds no connection itself and may be used from any task of any loop;
 * the data source's pool does the pooling, and closing the pool is the application's business.
 */
public final class Database extends Queries {
    private final DataSource dataSource;
    private final DatabaseOptions options;
    /** Where calls run; null until the first connection told an AUTO database which driver it has. */
    private volatile Calls calls;

    private Database(DataSource dataSource, DatabaseOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.options = Objects.requireNonNull(options, "options");
        this.calls = switch (options.callMode()) {
            case IN_TASK -> Calls.inTask();
            case EXECUTOR -> Calls.onExecutor(options.executor());
            case AUTO -> Asyncio.schedulerMode() == SchedulerMode.COMPAT ? Calls.onExecutor(options.executor()) : null;
        };
    }

    /**
     * Wraps a data source with the default options ({@link CallMode#AUTO}). Never suspends.
     *
     * @param dataSource the data source, usually a connection pool
     * @return the database
     */
    public static Database of(DataSource dataSource) {
        return new Database(dataSource, DatabaseOptions.defaults());
    }

    /**
     * Wraps a data source with options. Never suspends.
     *
     * @param dataSource the data source, usually a connection pool
     * @param options where calls run, cursors' prefetch
     * @return the database
     */
    public static Database of(DataSource dataSource, DatabaseOptions options) {
        return new Database(dataSource, options);
    }

    /** {@return the data source} */
    public DataSource dataSource() {
        return dataSource;
    }

    /** {@return the options} */
    public DatabaseOptions options() {
        return options;
    }

    /**
     * {@return where this database's calls run}: {@link CallMode#IN_TASK} or
     * {@link CallMode#EXECUTOR}, or {@link CallMode#AUTO} while an AUTO database has not seen
     * its driver yet (before its first connection). Never suspends.
     */
    public CallMode callMode() {
        Calls c = calls;
        return c == null ? CallMode.AUTO : c.isInTask() ? CallMode.IN_TASK : CallMode.EXECUTOR;
    }

    /**
     * Takes a connection for several calls, for try-with-resources: asyncpg's
     * {@code pool.acquire()}. {@code close()} gives it back, rolling back what it left open.
     * Suspends (while the pool has no free connection); checks for cancellation: a task cancelled
     * while it waits for the pool stops waiting.
     *
     * @return the connection
     * @throws SQLException what the data source throws (a pool's timeout, say)
     */
    public DbConnection acquire() throws SQLException {
        Calls c = calls;
        if (c != null) {
            return new DbConnection(this, c.acquire(dataSource), c);
        }
        // AUTO: the first connection is opened on the executor (an embedded driver opens its
        // files then), and its URL tells which driver this is
        Calls probe = Calls.onExecutor(options.executor());
        Connection jdbc = probe.acquire(dataSource);
        String url;
        try {
            url = probe.uncancellable(() -> jdbc.getMetaData().getURL());
        } catch (SQLException | RuntimeException | Error e) {
            probe.uncancellable(() -> {
                jdbc.close();
                return null;
            });
            throw e;
        }
        c = EmbeddedDrivers.isEmbedded(url) ? probe : Calls.inTask();
        calls = c;
        return new DbConnection(this, jdbc, c);
    }

    /**
     * Begins a transaction at an isolation level on a connection of its own, for
     * try-with-resources. Suspends; checks for cancellation.
     *
     * @param isolation the isolation level
     * @return the open transaction; closing it gives its connection back
     * @throws SQLException what the driver throws
     */
    public Transaction transaction(Isolation isolation) throws SQLException {
        return begin(Objects.requireNonNull(isolation, "isolation"));
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

    @Override
    <T> T run(ConnectionCall<T> call) throws SQLException {
        try (DbConnection c = acquire()) {
            return c.run(call);
        }
    }

    @Override
    <T> Cursor<T> openCursor(int prefetch, String sql, RowMapper<T> mapper, Object[] args) throws SQLException {
        DbConnection c = acquire();
        try {
            return Cursor.open(c, true, prefetch, sql, mapper, args);
        } catch (Throwable e) {
            closeAfter(c, e);
            throw e;
        }
    }

    @Override
    Transaction begin(Isolation isolation) throws SQLException {
        DbConnection c = acquire();
        try {
            return Transaction.begin(c, isolation, true);
        } catch (Throwable e) {
            closeAfter(c, e);
            throw e;
        }
    }

    @Override
    Database database() {
        return this;
    }

    private static void closeAfter(DbConnection c, Throwable failure) {
        try {
            c.close();
        } catch (Throwable e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "<Database " + callMode() + " " + dataSource + ">";
    }
}
