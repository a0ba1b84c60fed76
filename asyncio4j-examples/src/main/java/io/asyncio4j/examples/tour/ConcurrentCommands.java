package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;

import io.asyncio4j.Task;
import io.asyncio4j.process.Subprocess;
import io.asyncio4j.process.Subprocesses;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs five {@code sleep 1} commands at once: the whole takes about one second.
 *
 * {@snippet lang = "python" :
 * async def run(i):
 *     p = await asyncio.create_subprocess_exec("sleep", "1")
 *     code = await p.wait()
 *     print(f"sleep {i} exited with {code}")
 *
 * async def main():
 *     start = time.perf_counter()
 *     await asyncio.gather(*(run(i) for i in range(5)))
 *     print(f"5 commands in {time.perf_counter() - start:.2f} seconds")
 * }
 */
public final class ConcurrentCommands {
    private ConcurrentCommands() {
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
     * Runs the example on a new event loop. Blocks the calling thread for about a second.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            long start = System.nanoTime();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                tasks.add(createTask(() -> sleepOne(out, n)));
            }
            await(gather(tasks));
            out.println(String.format(Locale.ROOT, "5 commands in %.2f seconds", (System.nanoTime() - start) / 1e9));
        });
    }

    private static void sleepOne(PrintStream out, int i) throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "1")) {
            out.println("sleep " + i + " exited with " + p.waitFor());
        }
    }
}
