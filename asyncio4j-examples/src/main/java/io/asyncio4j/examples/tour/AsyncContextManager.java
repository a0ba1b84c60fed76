package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.shieldedScope;
import static io.asyncio4j.Asyncio.sleep;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Uses an asynchronous context manager, a simulated database connection, with try-with-resources:
 * opening it, querying it and closing it all suspend.
 *
 * {@snippet lang = "python" :
 * class AsyncDatabase:
 *     async def __aenter__(self):
 *         print("Connecting...")
 *         await asyncio.sleep(0.1)
 *         return self
 *
 *     async def __aexit__(self, exc_type, exc, tb):
 *         print("Closing connection...")
 *         await asyncio.sleep(0.1)
 *
 *     async def query(self, sql):
 *         print(f"Executing: {sql}")
 *         await asyncio.sleep(0.5)
 *         return f"Results for: {sql}"
 *
 * async def main():
 *     async with AsyncDatabase() as db:
 *         result = await db.query("SELECT * FROM users")
 *         print(result)
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code __aenter__} becomes the factory {@link Database#connect}, and {@code __aexit__}
 * becomes {@link Database#close()}: try-with-resources calls it in the task, so it may suspend.
 * Its cleanup runs in a {@link io.asyncio4j.Asyncio#shieldedScope() shielded scope}: in asyncio4j
 * a cancelled scope (an expired timeout, say) interrupts every suspension point inside it, so
 * cleanup that must finish even when the block was cancelled is shielded, as with Kotlin's
 * {@code withContext(NonCancellable)} or a shielded Trio cancel scope.
 */
public final class AsyncContextManager {
    private AsyncContextManager() {
    }

    /**
     * A simulated database connection: an asynchronous context manager for try-with-resources.
     *
     * {@snippet :
     * try (Database db = Database.connect(System.out)) {
     *     System.out.println(db.query("SELECT * FROM users"));
     * }
     * }
     */
    public static final class Database implements AutoCloseable {
        private final PrintStream out;

        private Database(PrintStream out) {
            this.out = out;
        }

        /**
         * Opens a connection, taking 0.1 seconds: Python's {@code __aenter__}. Suspends; checks
         * for cancellation.
         *
         * @param out where the connection reports what it does
         * @return the open connection
         */
        public static Database connect(PrintStream out) {
            out.println("Connecting...");
            sleep(Duration.ofMillis(100));
            return new Database(out);
        }

        /**
         * Runs a query, taking 0.5 seconds. Suspends; checks for cancellation.
         *
         * @param sql the query
         * @return the query's results
         */
        public String query(String sql) {
            out.println("Executing: " + sql);
            sleep(Duration.ofMillis(500));
            return "Results for: " + sql;
        }

        /**
         * Closes the connection, taking 0.1 seconds: Python's {@code __aexit__}. Suspends; the
         * cleanup is shielded, so a cancellation from outside waits until it is done.
         */
        @Override
        public void close() {
            out.println("Closing connection...");
            try (var _ = shieldedScope()) {
                sleep(Duration.ofMillis(100));
            }
        }
    }

    /**
     * Runs the example on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        demo(System.out);
    }

    /**
     * Runs the example on a new event loop, printing each step of the connection's life and the
     * query's results. Blocks the calling thread for about 0.7 seconds; must not be called from a
     * running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try (Database db = Database.connect(out)) {
                String result = db.query("SELECT * FROM users");
                out.println(result);
            }
        });
    }
}
