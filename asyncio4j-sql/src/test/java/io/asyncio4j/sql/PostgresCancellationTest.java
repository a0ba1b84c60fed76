package io.asyncio4j.sql;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.AsyncioTest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancellation that reaches the server, on a real PostgreSQL: a task cancelled (or a timeout
 * expiring) while its statement runs gets its CancelledError or TimeoutError promptly, the
 * statement stops on the server (seen in pg_stat_activity from a connection of the test's own),
 * and the connection goes back to its pool clean: no statement running, no transaction open, no
 * portal left; its next user sees nothing of it.
 */
class PostgresCancellationTest {
    @RegisterExtension
    static final Pg PG = new Pg();

    private static String backendState(int pid) {
        return toThread(() -> PG.backendState(pid));
    }

    /**
     * The connection's next user sees an idle connection in auto-commit with no portal open (the
     * unnamed one is the query's own), and the server saw it idle, outside a transaction, while
     * it was back in the pool.
     */
    private static void assertCleanConnection(Database db, int pid) throws SQLException {
        assertEquals("idle", backendState(pid), "back in the pool, outside a transaction");
        try (DbConnection c = db.acquire()) {
            assertEquals(pid, c.fetchVal("SELECT pg_backend_pid()", Integer.class), "the pool's one connection");
            assertTrue(c.jdbc().getAutoCommit());
            assertEquals(0L, c.fetchVal("SELECT count(*) FROM pg_cursors WHERE name <> ''", Long.class));
            assertEquals(7, c.fetchVal("SELECT 7", Integer.class));
        }
        assertEquals("idle", backendState(pid));
    }

    private static boolean hasServerCancel(Throwable e) {
        return Arrays.stream(e.getSuppressed()).anyMatch(s -> s instanceof SQLException sql
                && "57014".equals(sql.getSQLState()));
    }

    @AsyncioTest
    void cancellingATaskInExecuteQueryStopsTheQueryOnTheServer() throws Exception {
        HikariDataSource pool = PG.pool(1);
        Database db = Database.of(pool);
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        AtomicReference<CancelledError> seen = new AtomicReference<>();
        Task<Integer> t = createTask(() -> {
            try {
                return db.fetchVal("SELECT 1 FROM pg_sleep(30) /* cancel-me */", Integer.class);
            } catch (CancelledError e) {
                seen.set(e);
                throw e;
            }
        });
        PG.awaitRunning("cancel-me");
        long t0 = System.nanoTime();
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 1, "the cancellation took " + seconds + " s");
        PG.assertStopped("cancel-me");
        assertNotNull(seen.get());
        assertTrue(hasServerCancel(seen.get()), "the server's 'canceling statement' error is suppressed in the "
                + "CancelledError: " + Arrays.toString(seen.get().getSuppressed()));
        assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
        assertCleanConnection(db, pid);
    }

    @AsyncioTest
    void anExpiredTimeoutStopsTheQueryOnTheServerAndRaisesTimeoutError() throws Exception {
        HikariDataSource pool = PG.pool(1);
        Database db = Database.of(pool);
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        long t0 = System.nanoTime();
        assertThrows(TimeoutError.class, () -> {
            try (var _ = timeout(Duration.ofMillis(200))) {
                db.fetchVal("SELECT 1 FROM pg_sleep(30) /* time-me-out */", Integer.class);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 0.2 && seconds < 1.2, "the timeout took " + seconds + " s");
        PG.assertStopped("time-me-out");
        assertCleanConnection(db, pid);
    }

    @AsyncioTest
    void aCancelledTransactionIsRolledBackAndTheNextUserSeesNothingOfIt() throws Exception {
        HikariDataSource pool = PG.pool(1);
        Database db = Database.of(pool);
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        db.execute("CREATE TABLE IF NOT EXISTS cancelled_tx (i int)");
        db.execute("TRUNCATE cancelled_tx");
        Task<Void> t = createTask(() -> {
            try (Transaction tx = db.transaction()) {
                tx.execute("INSERT INTO cancelled_tx VALUES (1), (2)");
                tx.fetchVal("SELECT 1 FROM pg_sleep(30) /* tx-cancel */", Integer.class);
                tx.commit();
            }
        });
        PG.awaitRunning("tx-cancel");
        t.cancel();
        assertThrows(CancelledError.class, () -> await(t));
        PG.assertStopped("tx-cancel");
        assertEquals(0L, db.fetchVal("SELECT count(*) FROM cancelled_tx", Long.class));
        assertCleanConnection(db, pid);
        db.execute("DROP TABLE cancelled_tx");
    }

    @AsyncioTest
    void aTimeoutAroundATransactionRollsItBack() throws Exception {
        Database db = Database.of(PG.pool(1));
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        db.execute("CREATE TABLE IF NOT EXISTS timed_out_tx (i int)");
        db.execute("TRUNCATE timed_out_tx");
        assertThrows(TimeoutError.class, () -> {
            try (var _ = timeout(Duration.ofMillis(300))) {
                db.transaction(tx -> {
                    tx.execute("INSERT INTO timed_out_tx VALUES (1)");
                    return tx.fetchVal("SELECT 1 FROM pg_sleep(30) /* tx-timeout */", Integer.class);
                });
            }
        });
        PG.assertStopped("tx-timeout");
        assertEquals(0L, db.fetchVal("SELECT count(*) FROM timed_out_tx", Long.class));
        assertCleanConnection(db, pid);
        db.execute("DROP TABLE timed_out_tx");
    }

    @AsyncioTest
    void aTaskCancelledWhileItWaitsForThePoolStopsWaiting() throws Exception {
        HikariDataSource pool = PG.pool(1);
        Database db = Database.of(pool);
        db.fetchVal("SELECT 1", Integer.class);
        try (DbConnection held = db.acquire()) {
            Task<Integer> waiter = createTask(() -> db.fetchVal("SELECT 2", Integer.class));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0) {
                assertTrue(System.nanoTime() < deadline, "the waiter never waited for the pool");
                sleep(Duration.ofMillis(2));
            }
            long t0 = System.nanoTime();
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1, "the cancellation took " + seconds + " s");
            assertEquals(0, pool.getHikariPoolMXBean().getThreadsAwaitingConnection());
            assertEquals(3, held.fetchVal("SELECT 3", Integer.class));
        }
        assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
        assertEquals(4, db.fetchVal("SELECT 4", Integer.class));
    }

    @AsyncioTest
    void aCancellationThatArrivesBeforeTheCallLeavesTheServerUntouched() throws Exception {
        Database db = Database.of(PG.pool(1));
        int pid = db.fetchVal("SELECT pg_backend_pid()", Integer.class);
        db.execute("CREATE TABLE IF NOT EXISTS never_inserted (i int)");
        db.execute("TRUNCATE never_inserted");
        Task<Long> t = createTask(() -> db.execute("INSERT INTO never_inserted VALUES (1)"));
        t.cancel(); // before the task first runs
        assertThrows(CancelledError.class, () -> await(t));
        assertEquals(0L, db.fetchVal("SELECT count(*) FROM never_inserted", Long.class));
        assertCleanConnection(db, pid);
        db.execute("DROP TABLE never_inserted");
    }

    @AsyncioTest
    void cancellingAStatementOfAHeldConnectionLeavesTheConnectionUsable() throws Exception {
        Database db = Database.of(PG.pool(1));
        try (DbConnection c = db.acquire()) {
            int pid = c.fetchVal("SELECT pg_backend_pid()", Integer.class);
            for (int i = 0; i < 5; i++) {
                String marker = "held-" + i;
                Task<Integer> t = createTask(() -> c.fetchVal("SELECT 1 FROM pg_sleep(30) /* " + marker + " */",
                        Integer.class));
                PG.awaitRunning(marker);
                t.cancel();
                assertThrows(CancelledError.class, () -> await(t));
                PG.assertStopped(marker);
                // no cancel request is left in flight to hit the next statement
                assertEquals(i, c.fetchVal("SELECT ?::int FROM pg_sleep(0.05)", Integer.class, i));
                assertEquals("idle", backendState(pid));
            }
        }
    }
}
