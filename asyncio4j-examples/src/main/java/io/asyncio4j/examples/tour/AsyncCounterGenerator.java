package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.generator;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.AsyncGenerator;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The same counter as an async generator: a producer coroutine that emits each number after a
 * 0.1-second suspension, consumed by a for-each loop.
 *
 * {@snippet lang = "python" :
 * async def async_counter(max_count):
 *     for i in range(1, max_count + 1):
 *         await asyncio.sleep(0.1)
 *         yield i
 *
 * async def main():
 *     async for number in async_counter(5):
 *         print(number)
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code yield i} becomes {@code out.emit(i)}; try-with-resources closes the generator (Python's
 * {@code aclose()}) however the loop ends.
 */
public final class AsyncCounterGenerator {
    private AsyncCounterGenerator() {
    }

    /**
     * Creates the generator of the numbers 1 to {@code maxCount}, one every 0.1 seconds.
     *
     * @param maxCount the last number
     * @return the generator
     */
    public static AsyncGenerator<Integer> asyncCounter(int maxCount) {
        return generator(out -> {
            for (int i = 1; i <= maxCount; i++) {
                sleep(Duration.ofMillis(100));
                out.emit(i);
            }
        });
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
     * Runs the example on a new event loop, printing 1 to 5, one every 0.1 seconds. Must not be
     * called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try (AsyncGenerator<Integer> numbers = asyncCounter(5)) {
                for (int number : numbers) {
                    out.println(number);
                }
            }
        });
    }
}
