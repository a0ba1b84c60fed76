package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs two tasks that sleep for a second each and awaits them in turn, which takes about one
 * second, not two: both were started by {@code createTask} before the first {@code await}.
 *
 * {@snippet lang = "python" :
 * async def work(name):
 *     print(f"{name} started")
 *     await asyncio.sleep(1)
 *     print(f"{name} done")
 *
 * async def main():
 *     start = time.perf_counter()
 *     task1 = asyncio.create_task(work("Task 1"))
 *     task2 = asyncio.create_task(work("Task 2"))
 *     await task1
 *     await task2
 *     print(f"Both tasks done in {time.perf_counter() - start:.2f} seconds")
 *
 * asyncio.run(main())
 * }
 */
public final class TwoTasks {
    private TwoTasks() {
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
     * Runs the example on a new event loop, printing each task's start and end and the elapsed
     * time. Blocks the calling thread for about one second; must not be called from a running
     * loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            long start = System.nanoTime();
            Task<Void> task1 = createTask(() -> work(out, "Task 1"));
            Task<Void> task2 = createTask(() -> work(out, "Task 2"));
            await(task1);
            await(task2);
            out.println("Both tasks done in " + secondsSince(start) + " seconds");
        });
    }

    private static void work(PrintStream out, String name) {
        out.println(name + " started");
        sleep(Duration.ofSeconds(1));
        out.println(name + " done");
    }

    private static String secondsSince(long startNanos) {
        // Locale.ROOT: Python's :.2f always prints a dot.
        return String.format(Locale.ROOT, "%.2f", (System.nanoTime() - startNanos) / 1e9);
    }
}
