package io.asyncio4j.sql;

import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.AsyncioTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Drivers that hold the loop: H2 embedded and SQLite run the database on the calling thread (CPU
 * work, file I/O, native calls), so in the task they hold the loop for as long as the query takes;
 * {@link CallMode#AUTO} recognises them and runs their calls on an executor, where the loop stays
 * responsive and a timeout still cancels the statement.
 */
class EmbeddedDriversTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A new in-memory H2 database, kept while the JVM lives. */
    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:embedded" + NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** A query that keeps H2 busy on its thread for a while: a sum over millions of generated rows. */
    private static final String HEAVY = "SELECT SUM(X * 2) FROM SYSTEM_RANGE(1, ?)";
    private static final long ROWS = 3_000_000L;

    private static void report(String what, double seconds, Ticker t) {
        System.out.printf(Locale.ROOT, "[db-embedded] %s: the query took %.3f s; ticker: %s%n", what, seconds, t);
    }

    @AsyncioTest
    void autoRunsH2OnTheExecutorAndTheLoopStaysResponsive() throws Exception {
        Database db = Database.of(h2());
        // AUTO decides at the first connection (on the compatibility scheduler: from the start)
        assertEquals(io.asyncio4j.Asyncio.schedulerMode() == io.asyncio4j.SchedulerMode.FAST ? CallMode.AUTO
                : CallMode.EXECUTOR, db.callMode());
        assertEquals(1, db.fetchVal("SELECT 1", Integer.class));
        assertEquals(CallMode.EXECUTOR, db.callMode());
        db.fetchVal(HEAVY, Long.class, 1_000_000L); // warm-up
        Ticker ticker = Ticker.start();
        long t0 = System.nanoTime();
        assertEquals(ROWS * (ROWS + 1), db.fetchVal(HEAVY, Long.class, ROWS));
        double seconds = (System.nanoTime() - t0) / 1e9;
        ticker.stop();
        report("H2 on the executor (AUTO)", seconds, ticker);
        assertTrue(ticker.ticks() > seconds * 1000 / 3, ticker.toString());
        // a held loop would show the ticker late by the whole query; see the next test
        assertTrue(ticker.maxLateMs() <= 25, ticker.toString());
    }

    @AsyncioTest
    void inTheTaskH2HoldsTheLoopForTheWholeQuery() throws Exception {
        Database db = Database.of(h2(), DatabaseOptions.defaults().withCallMode(CallMode.IN_TASK));
        db.fetchVal(HEAVY, Long.class, 1_000_000L);
        Ticker ticker = Ticker.start();
        io.asyncio4j.Asyncio.sleep(Duration.ofMillis(5)); // the ticker is ticking
        long t0 = System.nanoTime();
        db.fetchVal(HEAVY, Long.class, ROWS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        io.asyncio4j.Asyncio.sleep(Duration.ofMillis(5)); // the ticker's overdue tick runs and is counted
        ticker.stop();
        report("H2 in the task (IN_TASK)", seconds, ticker);
        assertTrue(ticker.maxLateMs() >= seconds * 1000 * 0.8, "the loop was held: " + ticker);
    }

    @AsyncioTest
    void aTimeoutCancelsAnH2StatementOnTheExecutor() throws Exception {
        Database db = Database.of(h2());
        long t0 = System.nanoTime();
        assertThrows(TimeoutError.class, () -> {
            try (var _ = timeout(Duration.ofMillis(100))) {
                db.fetchVal(HEAVY, Long.class, 100 * ROWS);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 1.5, "the timeout took " + seconds + " s");
        assertEquals(2, db.fetchVal("SELECT 2", Integer.class));
    }

    @AsyncioTest
    void h2TransactionsRollBackUnlessCommitted() throws Exception {
        JdbcDataSource ds = h2();
        Database db = Database.of(ds);
        db.execute("CREATE TABLE t (i INT)");
        try (Transaction tx = db.transaction()) {
            tx.execute("INSERT INTO t VALUES (1)");
        }
        try (Transaction tx = db.transaction()) {
            tx.executeMany("INSERT INTO t VALUES (?)", List.of(List.of(2), List.of(3)));
            tx.commit();
        }
        assertEquals(List.of(2, 3), db.fetch("SELECT i FROM t ORDER BY i", rs -> rs.getInt(1)));
        long n = 0;
        try (Cursor<Row> rows = db.cursor(10, "SELECT X FROM SYSTEM_RANGE(1, 1000)", Row.mapper())) {
            for (Row r : rows) {
                n += ((Number) r.get(0)).longValue();
            }
        }
        assertEquals(500_500, n);
    }

    @AsyncioTest
    void sqliteRunsOnTheExecutor() throws Exception {
        Path dir = Files.createTempDirectory("asyncio4j-sqlite");
        Path file = dir.resolve("test.db");
        try {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl("jdbc:sqlite:" + file);
            Database db = Database.of(ds);
            db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, payload TEXT)");
            assertEquals(CallMode.EXECUTOR, db.callMode());
            db.executeMany("INSERT INTO items VALUES (?, ?)", List.of(List.of(1, "one"), List.of(2, "two")));
            try (Transaction tx = db.transaction()) {
                tx.execute("DELETE FROM items");
                // not committed: rolled back
            }
            assertEquals("two", db.fetchVal("SELECT payload FROM items WHERE id = ?", String.class, 2));
            assertEquals(2, db.fetchVal("SELECT count(*) FROM items", Integer.class));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
