package io.asyncio4j.bench;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.run;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncio4j.Task;
import io.asyncio4j.sql.Database;
import io.asyncio4j.sql.RowMapper;
import io.asyncio4j.sync.Semaphore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The db workload of {@code shared/bench/WORKLOADS.md} on asyncio4j sql: n point queries
 * {@code SELECT id, payload FROM items WHERE id = ?} (id = i mod 10,000 + 1) against the
 * throwaway PostgreSQL of the peers' runner on 127.0.0.1:PORT (database {@code bench}, user
 * {@code postgres}), at most 50 in flight over a HikariCP pool of 20 pgjdbc connections, filled
 * before the clock starts and shared by the warm-up round (n/10) and the measured round.
 *
 * <pre>
 *   ./asyncio4j bench db PORT [N]
 * </pre>
 *
 * One task per query, created by the parent after it took a permit of a {@link Semaphore}(50)
 * (the task gives it back), as the asyncpg peer does; each runs {@link Database#fetchRow}, so
 * its pgjdbc socket reads park only the task (fast scheduler) and a cancellation would reach the
 * server. Check: n rows, each with the asked id and a 100-character payload.
 */
final class DbBench {
    private DbBench() {
    }

    static final int POOL_SIZE = 20;
    static final int IN_FLIGHT = 50;
    static final int ROWS = 10_000;
    static final int PAYLOAD_LEN = 100;
    static final String QUERY = "SELECT id, payload FROM items WHERE id = ?";

    private record Item(int id, String payload) {
    }

    private static final RowMapper<Item> ITEM = rs -> new Item(rs.getInt(1), rs.getString(2));

    /** Runs the workload and prints its JSON line; returns the exit status. */
    static int main(int port, int n) throws InterruptedException {
        try (HikariDataSource ds = pool(port)) {
            Database db = Database.of(ds);
            double[] warm = round(db, Math.max(1, n / 10));
            double[] measured = round(db, n);
            boolean ok = warm[1] == 1 && measured[1] == 1;
            System.out.printf(Locale.ROOT,
                    "{\"workload\":\"db\",\"impl\":\"asyncio4j\",\"n\":%d,\"seconds\":%.6f,\"rate\":%.1f,\"ok\":%b}%n",
                    n, measured[0], n / measured[0], ok);
            System.out.flush();
            return ok ? 0 : 1;
        }
    }

    /** One round of n queries on a new loop: {seconds, 1 if every row was right}. */
    private static double[] round(Database db, int n) {
        return run(() -> {
            Semaphore permits = new Semaphore(IN_FLIGHT);
            AtomicBoolean reported = new AtomicBoolean();
            int[] good = new int[1];
            List<Task<Void>> tail = new ArrayList<>(IN_FLIGHT);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                permits.acquire();
                int key = i % ROWS + 1;
                Task<Void> t = createTask(() -> {
                    try {
                        Optional<Item> row = db.fetchRow(QUERY, ITEM, key);
                        if (row.isPresent() && row.get().id() == key && row.get().payload().length() == PAYLOAD_LEN) {
                            good[0]++;
                        }
                    } catch (SQLException e) {
                        if (reported.compareAndSet(false, true)) {
                            System.err.println("db: query " + key + ": " + e);
                        }
                    } finally {
                        permits.release();
                    }
                });
                if (i >= n - IN_FLIGHT) {
                    tail.add(t);
                }
            }
            // every earlier task gave its permit back before the last IN_FLIGHT could start
            for (int i = 0; i < IN_FLIGHT; i++) {
                permits.acquire();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (Task<Void> t : tail) {
                io.asyncio4j.Asyncio.await(t);
            }
            return new double[] {seconds, good[0] == n ? 1 : 0};
        });
    }

    private static HikariDataSource pool(int port) throws InterruptedException {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/bench");
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(POOL_SIZE);
        cfg.setMinimumIdle(POOL_SIZE);
        cfg.setPoolName("db");
        HikariDataSource ds = new HikariDataSource(cfg);
        // HikariCP opens the rest of its connections in the background: wait for all 20
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ds.getHikariPoolMXBean().getTotalConnections() < POOL_SIZE && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return ds;
    }
}
