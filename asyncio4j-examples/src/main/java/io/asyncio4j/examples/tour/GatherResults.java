package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Gathers the results of three tasks that take two, one and three seconds: the results come back
 * in argument order, not completion order, after about three seconds, not six.
 *
 * {@snippet lang = "python" :
 * async def task(name, delay):
 *     await asyncio.sleep(delay)
 *     return f"Result from {name}"
 *
 * async def main():
 *     results = await asyncio.gather(task("A", 2), task("B", 1), task("C", 3))
 *     print(f"Results: {results}")
 *
 * asyncio.run(main())
 * }
 *
 * <p>Python prints the list as {@code ['Result from A', ...]}; Java's {@code List.toString} has
 * no quotes.
 */
public final class GatherResults {
    private GatherResults() {
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
     * Runs the example on a new event loop, printing
     * {@code Results: [Result from A, Result from B, Result from C]}. Blocks the calling thread for
     * about three seconds; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            List<String> results = await(gather(
                    createTask(() -> task("A", 2)),
                    createTask(() -> task("B", 1)),
                    createTask(() -> task("C", 3))));
            out.println("Results: " + results);
        });
    }

    private static String task(String name, int delaySeconds) {
        sleep(Duration.ofSeconds(delaySeconds));
        return "Result from " + name;
    }
}
