package io.asyncio4j.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncio4j.sql.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real PostgreSQL of the tests: one throwaway server per test JVM (started on first use,
 * stopped and deleted when the run ends), HikariCP pools per test class (closed after it), and a
 * side connection to look at the server from outside the code under test. Without PostgreSQL
 * installed the class's tests are skipped, saying so.
 *
 * {@snippet :
 * @RegisterExtension static final Pg PG = new Pg();
 * HikariDataSource pool = PG.pool(20);
 * }
 */
final class Pg implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Pg.class);

    /** The server, closed by JUnit when the whole run ends (the root store closes its AutoCloseables). */
    private record Running(PostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private PostgresServer server;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private Connection side;

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue(PostgresServer.findInstallation().isPresent(),
                "PostgreSQL is not installed (apt-get install postgresql; CI installs it): skipping the tests that "
                        + "need a real server");
        server = context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(Running.class, k -> new Running(PostgresServer.start()), Running.class).server();
    }

    /** No test leaves a connection out of its pool: every one it took was given back. */
    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaked = new ArrayList<>();
        for (HikariDataSource p : pools) {
            int active = p.getHikariPoolMXBean().getActiveConnections();
            if (active != 0) {
                leaked.add(p.getPoolName() + ": " + active + " connection(s) still taken");
            }
        }
        if (!leaked.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test leaked connections: " + leaked);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        for (HikariDataSource p : pools) {
            p.close();
        }
        pools.clear();
        if (side != null) {
            side.close();
            side = null;
        }
    }

    PostgresServer server() {
        return server;
    }

    /**
     * A HikariCP pool of this size on the server's {@code postgres} database, filled before it
     * returns.
     */
    HikariDataSource pool(int size) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(server.jdbcUrl());
        cfg.setUsername(server.user());
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(size);
        cfg.setConnectionTimeout(10_000);
        cfg.setPoolName("test-" + pools.size());
        HikariDataSource ds = new HikariDataSource(cfg);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ds.getHikariPoolMXBean().getIdleConnections() < size && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pools.add(ds);
        return ds;
    }

    /** A plain JDBC connection of the test itself, outside the pools (blocking: call it from toThread or the test thread). */
    synchronized Connection side() throws SQLException {
        if (side == null) {
            side = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
        }
        return side;
    }

    /** Runs a statement on the side connection. */
    void sideExecute(String sql) throws SQLException {
        synchronized (this) {
            side().createStatement().execute(sql);
        }
    }

    /** How many statements like {@code pattern} run on the server now (pg_stat_activity), seen from the side. */
    synchronized int activeQueries(String pattern) throws SQLException {
        try (PreparedStatement ps = side().prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The state of a backend in pg_stat_activity ('idle', 'idle in transaction', ...), seen from the side. */
    synchronized String backendState(int pid) throws SQLException {
        try (PreparedStatement ps = side().prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Statements with this marker in their text running on the server now. Suspends. */
    int running(String marker) {
        return io.asyncio4j.Asyncio.toThread(() -> activeQueries("%" + marker + "%"));
    }

    /** Waits (at most 5 s) until the server runs a statement with this marker. Suspends. */
    void awaitRunning(String marker) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (running(marker) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the statement " + marker + " never started on the server");
            }
            io.asyncio4j.Asyncio.sleep(java.time.Duration.ofMillis(5));
        }
    }

    /**
     * Checks that the statement with this marker is over on the server. The backend reports itself
     * idle before it answers, so this holds as soon as the cancelled call has returned; half a
     * second of grace for the statistics of a loaded machine. Suspends.
     */
    void assertStopped(String marker) {
        long deadline = System.nanoTime() + 500_000_000L;
        while (running(marker) != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the statement " + marker + " still runs on the server");
            }
            io.asyncio4j.Asyncio.sleep(java.time.Duration.ofMillis(5));
        }
    }
}
