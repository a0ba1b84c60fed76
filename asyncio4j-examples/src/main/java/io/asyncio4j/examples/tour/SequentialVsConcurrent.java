package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Greets Alice and Bob one after the other (about two seconds), then both at once with
 * {@code gather} (about one second), and prints both times.
 *
 * {@snippet lang = "python" :
 * async def greet(name):
 *     await asyncio.sleep(1)
 *     print(f"Hello, {name}!")
 *
 * async def main():
 *     start = time.perf_counter()
 *     await greet("Alice")
 *     await greet("Bob")
 *     print(f"Sequential: {time.perf_counter() - start:.2f} seconds")
 *
 *     start = time.perf_counter()
 *     await asyncio.gather(greet("Alice"), greet("Bob"))
 *     print(f"Concurrent: {time.perf_counter() - start:.2f} seconds")
 *
 * asyncio.run(main())
 * }
 */
public final class SequentialVsConcurrent {
    private SequentialVsConcurrent() {
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
     * Runs the example on a new event loop, printing the greetings and the time each way took.
     * Blocks the calling thread for about three seconds; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            long start = System.nanoTime();
            greet(out, "Alice");
            greet(out, "Bob");
            out.println("Sequential: " + secondsSince(start) + " seconds");

            start = System.nanoTime();
            await(gather(
                    createTask(() -> greet(out, "Alice")),
                    createTask(() -> greet(out, "Bob"))));
            out.println("Concurrent: " + secondsSince(start) + " seconds");
        });
    }

    private static void greet(PrintStream out, String name) {
        sleep(Duration.ofSeconds(1));
        out.println("Hello, " + name + "!");
    }

    private static String secondsSince(long startNanos) {
        // Locale.ROOT: Python's :.2f always prints a dot.
        return String.format(Locale.ROOT, "%.2f", (System.nanoTime() - startNanos) / 1e9);
    }
}
