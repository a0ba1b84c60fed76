package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Gathers three coroutines that each print {@code start}, sleep for a second and print
 * {@code end}: all three start before any ends, and the whole takes about one second.
 *
 * {@snippet lang = "python" :
 * async def my_coroutine():
 *     print("start")
 *     await asyncio.sleep(1)
 *     print("end")
 *
 * async def main():
 *     await asyncio.gather(my_coroutine(), my_coroutine(), my_coroutine())
 *
 * asyncio.run(main())
 * }
 */
public final class GatherBasics {
    private GatherBasics() {
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
     * Runs the example on a new event loop, printing three {@code start} lines, then three
     * {@code end} lines. Blocks the calling thread for about one second; must not be called from a
     * running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            // asyncio.gather wraps coroutines in tasks itself; Java's gather takes the tasks.
            await(gather(
                    createTask(() -> myCoroutine(out)),
                    createTask(() -> myCoroutine(out)),
                    createTask(() -> myCoroutine(out))));
        });
    }

    private static void myCoroutine(PrintStream out) {
        out.println("start");
        sleep(Duration.ofSeconds(1));
        out.println("end");
    }
}
