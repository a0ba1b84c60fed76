package io.asyncio4j.bench;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Task;
import io.asyncio4j.file.AsyncFile;
import io.asyncio4j.file.AsyncFiles;
import io.asyncio4j.process.Redirect;
import io.asyncio4j.process.Subprocess;
import io.asyncio4j.process.SubprocessOptions;
import io.asyncio4j.process.Subprocesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The I/O workloads of {@code shared/bench/WORKLOADS.md} that leave the network ({@code files},
 * {@code subprocess}), and the loop-lateness measurements of issue 12:
 *
 * <pre>
 *   ./asyncio4j bench files [N]            N files of 64 KiB written, then read back, 64 at once
 *   ./asyncio4j bench subprocess [N]       N children /bin/echo hello-i, 32 at once, stdout read to its end
 *   ./asyncio4j bench lateness-files [MiB] a 1 ms ticker while 64 tasks write, then read, a file each
 *   ./asyncio4j bench lateness-subprocess [N] a 1 ms ticker while the subprocess workload runs
 * </pre>
 *
 * Each workload runs a warm-up round at n/10, then the measured round, and prints one JSON line.
 */
final class IoWorkloads {
    private IoWorkloads() {
    }

    private record Round(double seconds, boolean ok) {
    }

    static void main(String[] args) throws Exception {
        String name = args[0];
        switch (name) {
            case "files" -> batch(name, args, 2_000, 2, IoWorkloads::files);
            case "subprocess" -> batch(name, args, 500, 1, IoWorkloads::subprocess);
            case "lateness-files" -> latenessFiles(args.length > 1 ? Integer.parseInt(args[1]) : 64);
            case "lateness-subprocess" -> latenessSubprocess(args.length > 1 ? Integer.parseInt(args[1]) : 2000);
            default -> {
                System.err.println("unknown workload: " + name);
                System.exit(2);
            }
        }
    }

    @FunctionalInterface
    private interface Workload {
        Round run(int n) throws Exception;
    }

    private static void batch(String name, String[] args, int defaultN, int units, Workload w) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : defaultN;
        Round warm = w.run(Math.max(1, n / 10));
        Round measured = w.run(n);
        boolean ok = warm.ok() && measured.ok();
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"%s\",\"impl\":\"asyncio4j\",\"n\":%d,\"seconds\":%.6f,\"rate\":%.1f,\"ok\":%b}%n",
                name, n, measured.seconds(), units * n / measured.seconds(), ok);
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    // ------------------------------------------------------------------ files

    static final int FILE_SIZE = 64 * 1024;
    static final int FILE_CONCURRENCY = 64;

    /** File i: one seeded random block with i (8 bytes, little-endian) in its first 8 bytes. */
    static byte[] fileContent(byte[] block, long i) {
        byte[] b = block.clone();
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (i >>> (8 * k));
        }
        return b;
    }

    static boolean fileMatches(byte[] data, byte[] block, long i) {
        if (data.length != FILE_SIZE) {
            return false;
        }
        for (int k = 0; k < 8; k++) {
            if (data[k] != (byte) (i >>> (8 * k))) {
                return false;
            }
        }
        return Arrays.equals(data, 8, FILE_SIZE, block, 8, FILE_SIZE);
    }

    /** Runs {@code op(i)} for i in [0, n) on 64 worker tasks sharing one index counter. */
    private static void each(int n, int workers, IndexedOp op) {
        int[] next = {0};
        List<Task<Void>> tasks = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            tasks.add(createTask(() -> {
                for (int i = next[0]++; i < n; i = next[0]++) {
                    op.run(i);
                }
            }));
        }
        await(gather(tasks));
    }

    @FunctionalInterface
    private interface IndexedOp {
        void run(int i) throws Exception;
    }

    /**
     * n files of 64 KiB written with {@link AsyncFiles#writeBytes}, then read back with
     * {@link AsyncFiles#readBytes} and checked, at most 64 operations at once; the directory is
     * made before the clock starts and removed after it stopped.
     */
    static Round files(int n) throws IOException {
        byte[] block = new byte[FILE_SIZE];
        new SplittableRandom(42).nextBytes(block);
        Path dir = Files.createTempDirectory("asyncio4j-files-");
        Round r = run(() -> {
            int[] written = {0};
            int[] good = {0};
            long t0 = System.nanoTime();
            each(n, FILE_CONCURRENCY, i -> {
                AsyncFiles.writeBytes(dir.resolve("f" + i), fileContent(block, i));
                written[0]++;
            });
            each(n, FILE_CONCURRENCY, i -> {
                if (fileMatches(AsyncFiles.readBytes(dir.resolve("f" + i)), block, i)) {
                    good[0]++;
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, written[0] == n && good[0] == n);
        });
        boolean removed = true;
        try {
            for (int i = 0; i < n; i++) {
                Files.deleteIfExists(dir.resolve("f" + i));
            }
            Files.delete(dir);
        } catch (IOException e) {
            System.err.println("files: cleanup: " + e);
            removed = false;
        }
        return new Round(r.seconds(), r.ok() && removed);
    }

    // ------------------------------------------------------------------ subprocess

    static final int SUBPROCESS_CONCURRENCY = 32;

    /** One child {@code /bin/echo hello-i}: its output through a pipe read to the end, its exit awaited. */
    private static boolean echo(int i) throws IOException {
        SubprocessOptions options = SubprocessOptions.defaults().withStdout(Redirect.PIPE);
        String arg = "hello-" + i;
        Subprocess p = Subprocesses.createSubprocessExec(List.of("/bin/echo", arg), options);
        Subprocess.Output out = p.communicate();
        return out.returncode() == 0 && Arrays.equals(out.stdout(), (arg + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * n children {@code /bin/echo hello-i}, at most 32 running at once (32 worker tasks sharing
     * one index counter, as asyncio's peer), stdin and stderr inherited, stdout through a pipe.
     */
    static Round subprocess(int n) {
        return run(() -> {
            int[] good = {0};
            long t0 = System.nanoTime();
            each(n, SUBPROCESS_CONCURRENCY, i -> {
                if (echo(i)) {
                    good[0]++;
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, good[0] == n);
        });
    }

    // ------------------------------------------------------------------ lateness

    /**
     * A task that sleeps 1 ms at a time and records how late each wake-up is, against the time it
     * asked for; runs until stopped.
     */
    static final class Ticker {
        private final long[] late = new long[1 << 22];
        private int count;
        private volatile boolean stop;
        private Task<Void> task;

        void start() {
            task = createTask(() -> {
                while (!stop && count < late.length) {
                    long due = System.nanoTime() + 1_000_000;
                    sleep(Duration.ofMillis(1));
                    late[count++] = Math.max(0, System.nanoTime() - due);
                }
            });
        }

        /** Stops the ticker and returns its figures as JSON fields. */
        String stop() {
            stop = true;
            await(task);
            long[] l = Arrays.copyOf(late, count);
            Arrays.sort(l);
            return String.format(Locale.ROOT, "\"ticks\":%d,\"late_p50_ms\":%.3f,\"late_p99_ms\":%.3f,"
                    + "\"late_p999_ms\":%.3f,\"late_max_ms\":%.3f", count, pct(l, 0.50), pct(l, 0.99), pct(l, 0.999),
                    count == 0 ? 0.0 : l[count - 1] / 1e6);
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
        }
    }

    /** Runs a body with the ticker on, then prints one JSON line with the ticker's figures. */
    private static void withTicker(String name, String extra, Callable<Boolean> body) {
        run(() -> {
            Ticker idle = new Ticker();
            idle.start();
            sleep(Duration.ofMillis(500));
            String idleFigures = idle.stop().replace("\"late", "\"idle_late").replace("\"ticks", "\"idle_ticks");
            Ticker ticker = new Ticker();
            ticker.start();
            long t0 = System.nanoTime();
            boolean ok = body.call();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String figures = ticker.stop();
            System.out.printf(Locale.ROOT, "{\"workload\":\"%s\",\"impl\":\"asyncio4j\",%s\"seconds\":%.3f,%s,%s,\"ok\":%b}%n",
                    name, extra, seconds, figures, idleFigures, ok);
            System.out.flush();
            return null;
        });
    }

    /**
     * The responsiveness check: 64 tasks each write a file of {@code mib} MiB in 1 MiB
     * writes, then read it back in 1 MiB reads, while a 1 ms ticker records its lateness.
     */
    static void latenessFiles(int mib) throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-lateness-");
        byte[] chunk = new byte[1024 * 1024];
        new SplittableRandom(7).nextBytes(chunk);
        try {
            withTicker("lateness-files", String.format(Locale.ROOT, "\"tasks\":64,\"file_mib\":%d,", mib), () -> {
                List<Task<Boolean>> tasks = new ArrayList<>();
                for (int t = 0; t < 64; t++) {
                    Path p = dir.resolve("big" + t);
                    tasks.add(createTask(() -> {
                        try (AsyncFile f = AsyncFile.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                            for (int i = 0; i < mib; i++) {
                                f.write(chunk);
                            }
                        }
                        long total = 0;
                        boolean same = true;
                        try (AsyncFile f = AsyncFile.open(p)) {
                            byte[] b;
                            while ((b = f.read(chunk.length)).length > 0) {
                                total += b.length;
                                same &= Arrays.equals(b, chunk);
                            }
                        }
                        AsyncFiles.remove(p);
                        return same && total == (long) mib * chunk.length;
                    }));
                }
                boolean ok = true;
                for (boolean b : await(gather(tasks))) {
                    ok &= b;
                }
                return ok;
            });
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** The subprocess workload (n children, 32 at once) with the 1 ms ticker on. */
    static void latenessSubprocess(int n) {
        withTicker("lateness-subprocess", String.format(Locale.ROOT, "\"n\":%d,", n), () -> {
            int[] good = {0};
            each(n, SUBPROCESS_CONCURRENCY, i -> {
                if (echo(i)) {
                    good[0]++;
                }
            });
            return good[0] == n;
        });
    }
}
