package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gatherSettled;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Outcome;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Shows how exceptions travel: one thrown by an awaited coroutine is caught around the call, and
 * {@code gatherSettled} reports how each of three tasks ended instead of failing fast.
 *
 * {@snippet lang = "python" :
 * async def might_fail():
 *     await asyncio.sleep(0.1)
 *     raise ValueError("Something went wrong!")
 *
 * async def succeed():
 *     await asyncio.sleep(0.1)
 *     return "Success!"
 *
 * async def main():
 *     try:
 *         await might_fail()
 *     except ValueError as e:
 *         print(f"Caught error: {e}")
 *
 *     results = await asyncio.gather(succeed(), might_fail(), succeed(), return_exceptions=True)
 *     for i, result in enumerate(results):
 *         if isinstance(result, Exception):
 *             print(f"Task {i} failed: {result}")
 *         else:
 *             print(f"Task {i} succeeded: {result}")
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code ValueError} becomes {@link IllegalArgumentException}, and
 * {@code return_exceptions=True} becomes {@code gatherSettled}, whose {@link Outcome} the program
 * reads with an exhaustive switch.
 */
public final class Exceptions {
    private Exceptions() {
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
     * Runs the example on a new event loop, printing the caught error and the outcome of each
     * gathered task. Blocks the calling thread for about 0.2 seconds; must not be called from a
     * running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try {
                mightFail();
            } catch (IllegalArgumentException e) {
                out.println("Caught error: " + e.getMessage());
            }

            List<Outcome<String>> results = await(gatherSettled(
                    createTask(Exceptions::succeed),
                    createTask(Exceptions::mightFail),
                    createTask(Exceptions::succeed)));
            for (int i = 0; i < results.size(); i++) {
                switch (results.get(i)) {
                    case Outcome.Success<String>(var value) ->
                            out.println("Task " + i + " succeeded: " + value);
                    case Outcome.Failure<String>(var error) ->
                            out.println("Task " + i + " failed: " + error.getMessage());
                    // No task here is cancelled, but an exhaustive switch names every case.
                    case Outcome.Cancelled<String> _ -> out.println("Task " + i + " was cancelled");
                }
            }
        });
    }

    private static String mightFail() {
        sleep(Duration.ofMillis(100));
        throw new IllegalArgumentException("Something went wrong!");
    }

    private static String succeed() {
        sleep(Duration.ofMillis(100));
        return "Success!";
    }
}
