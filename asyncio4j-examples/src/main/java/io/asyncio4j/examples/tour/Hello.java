package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;

import java.io.PrintStream;

/**
 * Runs the smallest asyncio program: a main coroutine awaits another one and prints its result.
 *
 * {@snippet lang = "python" :
 * async def hello():
 *     return "hello"
 *
 * async def main():
 *     result = await hello()
 *     print(result)
 *
 * asyncio.run(main())
 * }
 */
public final class Hello {
    private Hello() {
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
     * Runs the example on a new event loop, printing {@code hello}. Blocks the calling thread until
     * the loop is closed; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            // Python's "await hello()": a call runs the coroutine in the current task.
            String result = hello();
            out.println(result);
        });
    }

    private static String hello() {
        return "hello";
    }
}
