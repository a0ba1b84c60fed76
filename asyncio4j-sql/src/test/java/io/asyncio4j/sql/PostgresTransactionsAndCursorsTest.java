package io.asyncio4j.sql;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queries, transactions and cursors on a real PostgreSQL. */
class PostgresTransactionsAndCursorsTest {
    @RegisterExtension
    static final Pg PG = new Pg();

    private static long count(Database db, String table) throws SQLException {
        return db.fetchVal("SELECT count(*) FROM " + table, Long.class);
    }

    @AsyncioTest
    void theQueryMethodsReturnRowsValuesAndCounts() throws Exception {
        Database db = Database.of(PG.pool(2));
        db.execute("CREATE TABLE IF NOT EXISTS q_items (id int PRIMARY KEY, payload text)");
        db.execute("TRUNCATE q_items");
        long[] counts = db.executeMany("INSERT INTO q_items VALUES (?, ?)",
                List.of(List.of(1, "one"), List.of(2, "two"), List.of(3, "three")));
        assertEquals(3, counts.length);
        assertEquals(2L, db.execute("UPDATE q_items SET payload = upper(payload) WHERE id < ?", 3));
        List<Row> rows = db.fetch("SELECT id, payload FROM q_items ORDER BY id");
        assertEquals(List.of("id", "payload"), rows.get(0).columns());
        assertEquals("<Row id=1 payload='ONE'>", rows.get(0).toString());
        assertEquals("three", rows.get(2).get("payload", String.class));
        Optional<Row> none = db.fetchRow("SELECT * FROM q_items WHERE id = ?", 99);
        assertTrue(none.isEmpty());
        assertEquals("TWO", db.fetchRow("SELECT payload FROM q_items WHERE id = ?", rs -> rs.getString(1), 2)
                .orElseThrow());
        assertEquals(3L, count(db, "q_items"));
        SQLException bad = assertThrows(SQLException.class, () -> db.execute("INSERT INTO q_items VALUES (1, 'dup')"));
        assertEquals("23505", bad.getSQLState());
        db.execute("DROP TABLE q_items");
    }

    @AsyncioTest
    void aTransactionCommitsOnlyWhenCommittedAndRollsBackOnException() throws Exception {
        Database db = Database.of(PG.pool(2));
        db.execute("CREATE TABLE IF NOT EXISTS tx_items (i int)");
        db.execute("TRUNCATE tx_items");
        try (Transaction tx = db.transaction()) {
            tx.execute("INSERT INTO tx_items VALUES (1)");
            assertEquals(0L, count(db, "tx_items"), "not visible from another connection before the commit");
            tx.commit();
            assertFalse(tx.isActive());
        }
        assertEquals(1L, count(db, "tx_items"));
        try (Transaction tx = db.transaction()) {
            tx.execute("INSERT INTO tx_items VALUES (2)");
            // no commit: closing rolls back
        }
        assertEquals(1L, count(db, "tx_items"));
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> db.transaction(tx -> {
            tx.execute("INSERT INTO tx_items VALUES (3)");
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals(1L, count(db, "tx_items"));
        assertEquals(Integer.valueOf(42), db.<Integer>transaction(tx -> {
            tx.execute("INSERT INTO tx_items VALUES (4)");
            return 42;
        }));
        assertEquals(2L, count(db, "tx_items"));
        db.execute("DROP TABLE tx_items");
    }

    @AsyncioTest
    void aSavepointRollsBackAloneAndEndsBeforeItsTransaction() throws Exception {
        Database db = Database.of(PG.pool(2));
        db.execute("CREATE TABLE IF NOT EXISTS sp_items (i int)");
        db.execute("TRUNCATE sp_items");
        try (Transaction tx = db.transaction()) {
            tx.execute("INSERT INTO sp_items VALUES (1)");
            try (Transaction sp = tx.transaction()) {
                assertTrue(sp.isSavepoint());
                sp.execute("INSERT INTO sp_items VALUES (2)");
                assertThrows(IllegalStateException.class, tx::commit, "the inner one ends first");
            }
            try (Transaction sp = tx.transaction()) {
                sp.execute("INSERT INTO sp_items VALUES (3)");
                sp.commit();
            }
            tx.commit();
        }
        assertEquals(List.of(1, 3), db.fetch("SELECT i FROM sp_items ORDER BY i", rs -> rs.getInt(1)));
        db.execute("DROP TABLE sp_items");
    }

    @AsyncioTest
    void aCancellationPendingAtCommitCommitsNothing() throws Exception {
        Database db = Database.of(PG.pool(1));
        db.execute("CREATE TABLE IF NOT EXISTS pending_items (i int)");
        db.execute("TRUNCATE pending_items");
        Task<Void> t = createTask(() -> {
            try (Transaction tx = db.transaction()) {
                tx.execute("INSERT INTO pending_items VALUES (1)");
                io.asyncio4j.Asyncio.currentTask().cancel();
                tx.commit();
            }
        });
        assertThrows(CancelledError.class, () -> await(t));
        assertEquals(0L, count(db, "pending_items"));
        db.execute("DROP TABLE pending_items");
    }

    @AsyncioTest
    void aCursorStreamsAHundredThousandRowsInBoundedMemory() throws Exception {
        // 100,000 rows of 2,000 bytes: 200 MB, more than the test JVM's whole heap (-Xmx192m),
        // so reading them all at once would fail; the cursor holds 1,000 at a time
        Database db = Database.of(PG.pool(1));
        AtomicLong sum = new AtomicLong();
        long n = 0;
        try (Cursor<Integer> rows = db.cursor("SELECT i, repeat('x', 2000) FROM generate_series(1, 100000) AS g(i)",
                rs -> {
                    if (rs.getString(2).length() != 2000) {
                        throw new SQLException("short row");
                    }
                    return rs.getInt(1);
                })) {
            for (int i : rows) {
                sum.addAndGet(i);
                n++;
            }
            assertTrue(rows.isExhausted());
        }
        assertEquals(100_000, n);
        assertEquals(100_000L * 100_001 / 2, sum.get());
        assertEquals(0, PG.pool(1).getHikariPoolMXBean().getActiveConnections());
    }

    @AsyncioTest
    void breakingOutOfACursorClosesItAndEndsItsTransaction() throws Exception {
        Database db = Database.of(PG.pool(1));
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        try (Cursor<Row> rows = db.cursor(100, "SELECT i FROM generate_series(1, 1000000) AS g(i)", Row.mapper())) {
            for (Row r : rows) {
                if (r.get("i", Integer.class) == 250) {
                    assertEquals("idle in transaction", toThread(() -> PG.backendState(pid)));
                    break;
                }
            }
        }
        assertEquals("idle", toThread(() -> PG.backendState(pid)));
        assertEquals(0L, db.fetchVal("SELECT count(*) FROM pg_cursors WHERE name <> ''", Long.class));
    }

    @AsyncioTest
    void cancellingATaskMidFetchStopsTheCursorOnTheServer() throws Exception {
        Database db = Database.of(PG.pool(1));
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        AtomicLong seen = new AtomicLong();
        // each row costs the server 5 ms: a batch of 200 takes a second to fetch
        Task<Void> t = createTask(() -> {
            try (Cursor<Row> rows = db.cursor(200, "SELECT i, pg_sleep(0.005) /* slow-cursor */ FROM "
                    + "generate_series(1, 100000) AS g(i)", Row.mapper())) {
                for (Row r : rows) {
                    seen.incrementAndGet();
                }
            }
        });
        while (seen.get() < 200) {
            sleep(Duration.ofMillis(5));
        }
        sleep(Duration.ofMillis(100)); // the second batch is being fetched now
        long t0 = System.nanoTime();
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 0.8, "the cancellation took " + seconds + " s");
        assertEquals(200, seen.get(), "the second batch never arrived");
        PG.assertStopped("slow-cursor");
        assertEquals("idle", toThread(() -> PG.backendState(pid)));
        assertEquals(0L, db.fetchVal("SELECT count(*) FROM pg_cursors WHERE name <> ''", Long.class));
    }
}
