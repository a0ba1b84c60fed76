package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;

import io.asyncio4j.TimeoutError;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Gives a five-second operation two seconds with {@code waitFor}: the operation is interrupted at
 * its sleep and the program prints {@code Operation timed out!} after about two seconds.
 *
 * {@snippet lang = "python" :
 * async def long_operation():
 *     await asyncio.sleep(5)
 *     return "Operation complete"
 *
 * async def main():
 *     try:
 *         result = await asyncio.wait_for(long_operation(), timeout=2)
 *         print(result)
 *     except asyncio.TimeoutError:
 *         print("Operation timed out!")
 *
 * asyncio.run(main())
 * }
 */
public final class WaitForTimeout {
    private WaitForTimeout() {
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
     * Runs the example on a new event loop, printing {@code Operation timed out!}. Blocks the
     * calling thread for about two seconds; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try {
                String result = waitFor(WaitForTimeout::longOperation, Duration.ofSeconds(2));
                out.println(result);
            } catch (TimeoutError e) {
                out.println("Operation timed out!");
            }
        });
    }

    private static String longOperation() {
        sleep(Duration.ofSeconds(5));
        return "Operation complete";
    }
}
