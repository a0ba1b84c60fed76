package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An async iterator: a counter whose every step suspends for 0.1 seconds, driven by a plain
 * for-each loop inside a task.
 *
 * {@snippet lang = "python" :
 * class AsyncCounter:
 *     def __init__(self, max_count):
 *         self.max_count = max_count
 *         self.count = 0
 *
 *     def __aiter__(self):
 *         return self
 *
 *     async def __anext__(self):
 *         if self.count >= self.max_count:
 *             raise StopAsyncIteration
 *         await asyncio.sleep(0.1)
 *         self.count += 1
 *         return self.count
 *
 * async def main():
 *     async for number in AsyncCounter(5):
 *         print(number)
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code __aiter__}/{@code __anext__} become an ordinary {@link Iterable}: a coroutine is a
 * virtual thread, so {@link Iterator#next()} may suspend like any other method.
 */
public final class AsyncCounter implements Iterable<Integer> {
    private final int maxCount;

    /**
     * Creates a counter that counts from 1 to {@code maxCount}.
     *
     * @param maxCount the last number
     */
    public AsyncCounter(int maxCount) {
        this.maxCount = maxCount;
    }

    /** {@return an iterator whose every step suspends for 0.1 seconds} */
    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int count;

            @Override
            public boolean hasNext() {
                return count < maxCount;
            }

            @Override
            public Integer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                sleep(Duration.ofMillis(100));
                return ++count;
            }
        };
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
            for (int number : new AsyncCounter(5)) {
                out.println(number);
            }
        });
    }
}
