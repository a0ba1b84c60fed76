package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;

import io.asyncio4j.sql.Database;
import io.asyncio4j.sql.DbConnection;
import io.asyncio4j.sql.Row;
import io.asyncio4j.sql.testing.PostgresServer;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The sibling of {@link AsyncContextManager} with a real database: the same program, printing the
 * same lines, over a real PostgreSQL connection of asyncio4j-sql. Opening the connection, the
 * query and closing it suspend the task (pgjdbc's socket reads park only the task), and a
 * cancellation of the task would cancel the query on the server.
 *
 * {@snippet :
 * try (Session db = Session.connect(out, dataSource)) {      // async with AsyncDatabase() as db:
 *     out.println(db.query("SELECT * FROM users"));          //     print(await db.query(...))
 * }                                                          // __aexit__: the connection goes back
 * }
 *
 * <p>{@code ./asyncio4j example postgres [JDBC-URL]}: without a URL it starts a throwaway server
 * from the machine's PostgreSQL ({@link PostgresServer}), and says so when there is none.
 */
public final class PostgresContextManager {
    private PostgresContextManager() {
    }

    /** A connection of a database for try-with-resources, printing what it does as the tour's does. */
    public static final class Session implements AutoCloseable {
        private final PrintStream out;
        private final DbConnection conn;

        private Session(PrintStream out, DbConnection conn) {
            this.out = out;
            this.conn = conn;
        }

        /**
         * Takes a connection: Python's {@code __aenter__}. Suspends; checks for cancellation.
         *
         * @param out where the session reports what it does
         * @param db the database
         * @return the open session
         * @throws SQLException if no connection can be opened
         */
        public static Session connect(PrintStream out, Database db) throws SQLException {
            out.println("Connecting...");
            DbConnection c = db.acquire();
            try {
                // the tour's table, for this session only
                c.execute("CREATE TEMP TABLE users (id int PRIMARY KEY, name text)");
                c.execute("INSERT INTO users VALUES (1, 'ada'), (2, 'grace')");
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return new Session(out, c);
        }

        /**
         * Runs a query: "Results for: SQL" and then each row on a line of its own. Suspends;
         * checks for cancellation (a cancellation stops the query on the server).
         *
         * @param sql the query
         * @return the query's results
         * @throws SQLException what the server answers
         */
        public String query(String sql) throws SQLException {
            out.println("Executing: " + sql);
            List<Row> rows = conn.fetch(sql);
            StringBuilder sb = new StringBuilder("Results for: ").append(sql);
            for (Row r : rows) {
                sb.append("\n  ").append(r);
            }
            return sb.toString();
        }

        /**
         * Gives the connection back: Python's {@code __aexit__}. Runs to its end even in a
         * cancelled task.
         *
         * @throws SQLException if closing fails
         */
        @Override
        public void close() throws SQLException {
            out.println("Closing connection...");
            conn.close();
        }
    }

    /**
     * Runs the example on standard output: on the server of the JDBC URL given, or on a
     * throwaway one.
     *
     * @param args an optional JDBC URL (user {@code postgres} unless the URL says otherwise)
     */
    public static void main(String[] args) {
        if (args.length > 0) {
            demo(System.out, args[0], "postgres");
            return;
        }
        if (PostgresServer.findInstallation().isEmpty()) {
            System.out.println("PostgreSQL is not installed (apt-get install postgresql), and no JDBC URL was given: "
                    + "nothing to connect to");
            return;
        }
        try (PostgresServer pg = PostgresServer.start()) {
            demo(System.out, pg.jdbcUrl(), pg.user());
        }
    }

    /**
     * Runs the example on a new event loop against a PostgreSQL server. Blocks the calling thread;
     * must not be called from a running loop.
     *
     * @param out where the program prints
     * @param jdbcUrl the server, {@code jdbc:postgresql://HOST:PORT/DATABASE}
     * @param user the user (no password)
     */
    public static void demo(PrintStream out, String jdbcUrl, String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(user);
        run(() -> {
            Database db = Database.of(ds);
            try (Session session = Session.connect(out, db)) {
                out.println(session.query("SELECT * FROM users"));
            }
        });
    }
}
