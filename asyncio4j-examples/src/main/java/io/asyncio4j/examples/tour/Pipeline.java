package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.run;

import io.asyncio4j.Task;
import io.asyncio4j.file.AsyncFile;
import io.asyncio4j.file.AsyncFiles;
import io.asyncio4j.file.TemporaryDirectory;
import io.asyncio4j.process.Redirect;
import io.asyncio4j.process.Subprocess;
import io.asyncio4j.process.SubprocessOptions;
import io.asyncio4j.process.Subprocesses;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A small pipeline: one process generates numbers ({@code seq}), the program feeds them through
 * {@code sort -n -r} and then {@code gzip}, and writes the compressed result with an
 * {@link AsyncFile}; the three stages run at once, and a progress line is printed at each 10,000
 * numbers that pass. Then {@code gzip -dc} reads the file back to check its first line.
 *
 * {@snippet lang = "python" :
 * gen = await asyncio.create_subprocess_exec("seq", "50000", stdout=PIPE)
 * sort = await asyncio.create_subprocess_exec("sort", "-n", "-r", stdin=PIPE, stdout=PIPE)
 * gz = await asyncio.create_subprocess_exec("gzip", "-c", stdin=PIPE, stdout=PIPE)
 * async def pump(src, dst, progress=False): ...   # read lines or chunks, write, drain, close
 * async with aiofiles.open(path, "wb") as f: ...  # gz.stdout to the file
 * }
 */
public final class Pipeline {
    private Pipeline() {
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
     * Runs the example on a new event loop, in a temporary directory it removes.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            SubprocessOptions pipes = SubprocessOptions.defaults().withStdin(Redirect.PIPE).withStdout(Redirect.PIPE);
            try (TemporaryDirectory dir = AsyncFiles.temporaryDirectory();
                 Subprocess gen = Subprocesses.createSubprocessExec(List.of("seq", "50000"),
                         SubprocessOptions.defaults().withStdout(Redirect.PIPE));
                 Subprocess sort = Subprocesses.createSubprocessExec(List.of("sort", "-n", "-r"),
                         pipes.withEnvironmentVariable("LC_ALL", "C"));
                 Subprocess gzip = Subprocesses.createSubprocessExec(List.of("gzip", "-c"), pipes)) {
                Path result = dir.path().resolve("sorted.gz");
                Task<Void> toSort = createTask(() -> {
                    int n = 0;
                    for (byte[] line : gen.stdout()) {
                        sort.stdin().write(line);
                        sort.stdin().drain();
                        if (++n % 10_000 == 0) {
                            out.println("sorted input: " + n + " numbers");
                        }
                    }
                    sort.stdin().close();
                });
                Task<Void> toGzip = createTask(() -> {
                    byte[] chunk;
                    while ((chunk = sort.stdout().read(65536)).length > 0) {
                        gzip.stdin().write(chunk);
                        gzip.stdin().drain();
                    }
                    gzip.stdin().close();
                });
                long written = 0;
                try (AsyncFile f = AsyncFile.open(result, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                    byte[] chunk;
                    while ((chunk = gzip.stdout().read(65536)).length > 0) {
                        f.write(chunk);
                        written += chunk.length;
                    }
                }
                await(toSort);
                await(toGzip);
                out.println("exit codes: seq " + gen.waitFor() + ", sort " + sort.waitFor() + ", gzip " + gzip.waitFor());
                out.println("wrote " + (written > 0 ? "a gzip file" : "nothing"));
                try (Subprocess check = Subprocesses.createSubprocessExec(List.of("gzip", "-dc", result.toString()),
                        SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
                    String text = check.communicate().stdoutText();
                    out.println("first line " + text.substring(0, text.indexOf('\n')) + ", "
                            + text.lines().count() + " lines");
                }
            }
        });
    }
}
