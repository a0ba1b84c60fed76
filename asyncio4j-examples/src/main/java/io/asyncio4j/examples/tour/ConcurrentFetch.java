package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fetches three URLs concurrently, each simulated by a one-second sleep, and prints how long the
 * three took together: about one second.
 *
 * {@snippet lang = "python" :
 * async def fetch(url):
 *     await asyncio.sleep(1)  # simulate a network request
 *     return f"Data from {url}"
 *
 * async def main():
 *     urls = ["https://example.com", "https://example.org", "https://example.net"]
 *     start = time.perf_counter()
 *     results = await asyncio.gather(*(fetch(url) for url in urls))
 *     print(f"Fetched {len(results)} URLs in {time.perf_counter() - start:.2f} sec")
 *
 * asyncio.run(main())
 * }
 */
public final class ConcurrentFetch {
    private ConcurrentFetch() {
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
     * Runs the example on a new event loop, printing how many URLs it fetched and how long that
     * took. Blocks the calling thread for about one second; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            List<String> urls = List.of("https://example.com", "https://example.org", "https://example.net");
            long start = System.nanoTime();
            List<Task<String>> fetches = urls.stream()
                    .map(url -> createTask(() -> fetch(url)))
                    .toList();
            List<String> results = await(gather(fetches));
            out.println("Fetched " + results.size() + " URLs in " + secondsSince(start) + " sec");
        });
    }

    private static String fetch(String url) {
        sleep(Duration.ofSeconds(1));
        return "Data from " + url;
    }

    private static String secondsSince(long startNanos) {
        // Locale.ROOT: Python's :.2f always prints a dot.
        return String.format(Locale.ROOT, "%.2f", (System.nanoTime() - startNanos) / 1e9);
    }
}
