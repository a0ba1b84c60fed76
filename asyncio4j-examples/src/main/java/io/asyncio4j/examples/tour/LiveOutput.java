package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.process.Redirect;
import io.asyncio4j.process.Subprocess;
import io.asyncio4j.process.SubprocessOptions;
import io.asyncio4j.process.Subprocesses;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Reads a command's output line by line as it is produced: each line is printed with the time it
 * arrived, a third of a second apart, before the command has ended.
 *
 * {@snippet lang = "python" :
 * async def main():
 *     p = await asyncio.create_subprocess_shell(
 *         "for i in 1 2 3; do echo step $i; sleep 0.3; done", stdout=asyncio.subprocess.PIPE)
 *     start = time.perf_counter()
 *     async for line in p.stdout:
 *         print(f"{time.perf_counter() - start:.2f} {line.decode().rstrip()}")
 *     print(f"exit {await p.wait()}")
 * }
 */
public final class LiveOutput {
    private LiveOutput() {
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
            try (Subprocess p = Subprocesses.createSubprocessShell("for i in 1 2 3; do echo step $i; sleep 0.3; done",
                    SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
                long start = System.nanoTime();
                for (byte[] line : p.stdout()) {
                    out.println(String.format(Locale.ROOT, "%.2f %s", (System.nanoTime() - start) / 1e9,
                            new String(line, UTF_8).strip()));
                }
                out.println("exit " + p.waitFor());
            }
        });
    }
}
