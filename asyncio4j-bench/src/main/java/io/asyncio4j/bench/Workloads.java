package io.asyncio4j.bench;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;

import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.queue.QueueShutDown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The compute workloads of {@code shared/bench/WORKLOADS.md} on asyncio4j. Each runs one warm-up
 * round at n/10, then the measured round at n, checks its own result and prints one JSON line:
 *
 * <pre>
 *   ./asyncio4j bench spawn|pingpong|sleepers|timeouts|queue [N]
 *   ./asyncio4j bench floor-spawn|floor-pingpong [N]  (the same on bare virtual threads: see FloorWorkloads)
 *   ./asyncio4j bench footprint|floor-footprint [N]  (the memory of n tasks suspended at spawn's peak: see Footprint)
 *   ./asyncio4j bench echo PORT [streams]  (a server: prints "ready", serves until killed)
 *   ./asyncio4j bench http PORT            (the HTTP server: GET / answers Hello, World!)
 *   ./asyncio4j bench db PORT [N]          (point queries on the runner's PostgreSQL: see DbBench)
 *   ./asyncio4j bench crawl PORT [N]       (the HTTP client: N pages from the runner's nginx, 100 at once)
 *   ./asyncio4j bench ws PORT              (the WebSocket echo server on /)
 *   ./asyncio4j bench ws-deflate-memory [N] (permessage-deflate's memory per connection: see WsDeflateMemoryBench)
 * </pre>
 *
 * Only the measured part is timed, inside the main task, so loop creation and shutdown are not.
 */
public final class Workloads {
    private Workloads() {
    }

    /** One round: returns the measured seconds and the self-check. */
    private record Round(double seconds, boolean ok) {
    }

    @FunctionalInterface
    private interface Workload {
        Round run(int n) throws Exception;
    }

    /**
     * Runs one workload.
     *
     * @param args the workload name and an optional size
     * @throws Exception if the workload fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Workloads spawn|pingpong|sleepers|timeouts|queue [N]");
            System.exit(2);
        }
        String name = args[0];
        if (name.equals("http")) {
            HttpServerBench.serve(args.length > 1 ? Integer.parseInt(args[1]) : 8080);
            return;
        }
        if (name.equals("ws")) {
            WsServerBench.serve(args.length > 1 ? Integer.parseInt(args[1]) : 8765);
            return;
        }
        if (name.equals("ws-deflate-memory")) {
            WsDeflateMemoryBench.main(args);
            return;
        }
        if (name.equals("db")) {
            if (args.length < 2) {
                System.err.println("usage: Workloads db PORT [N]");
                System.exit(2);
            }
            System.exit(DbBench.main(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20_000));
            return;
        }
        if (name.equals("files") || name.equals("subprocess") || name.startsWith("lateness-")) {
            IoWorkloads.main(args);
            return;
        }
        if (name.equals("crawl")) {
            if (args.length < 2) {
                System.err.println("usage: Workloads crawl PORT [N]");
                System.exit(2);
            }
            CrawlBench.run(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20_000);
            return;
        }
        if (name.equals("footprint") || name.equals("floor-footprint")) {
            Footprint.main(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000, name.startsWith("floor-"));
            return;
        }
        if (name.startsWith("floor-")) {
            FloorWorkloads.main(name, args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            return;
        }
        if (name.equals("echo")) {
            EchoServer.serve(args.length > 1 ? Integer.parseInt(args[1]) : 8888,
                    args.length > 2 && args[2].equals("streams"));
            return;
        }
        Workload w;
        int defaultN;
        switch (name) {
            case "spawn" -> {
                w = Workloads::spawn;
                defaultN = 1_000_000;
            }
            case "pingpong" -> {
                w = Workloads::pingpong;
                defaultN = 1_000_000;
            }
            case "sleepers" -> {
                w = Workloads::sleepers;
                defaultN = 1_000_000;
            }
            case "timeouts" -> {
                w = Workloads::timeouts;
                defaultN = 200_000;
            }
            case "queue" -> {
                w = Workloads::queue;
                defaultN = 2_000_000;
            }
            default -> {
                System.err.println("unknown workload: " + name);
                System.exit(2);
                return;
            }
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : defaultN;
        Round warm = w.run(Math.max(1, n / 10));
        Round measured = w.run(n);
        boolean ok = warm.ok() && measured.ok();
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"%s\",\"impl\":\"asyncio4j\",\"n\":%d,\"seconds\":%.6f,\"rate\":%.1f,\"ok\":%b}%n",
                name, n, measured.seconds(), n / measured.seconds(), ok);
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    /** One parent creates n tasks; each suspends once and returns its index; the parent gathers them. */
    static Round spawn(int n) {
        return run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                tasks.add(createTask(() -> {
                    sleep(Duration.ZERO);
                    return index;
                }));
            }
            long sum = 0;
            for (int v : await(gather(tasks))) {
                sum += v;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, sum == (long) n * (n - 1) / 2);
        });
    }

    /** Two tasks pass a token through two queues of capacity 1, n round trips. */
    static Round pingpong(int n) {
        return run(() -> {
            Queue<Integer> ping = new Queue<>(1);
            Queue<Integer> pong = new Queue<>(1);
            long t0 = System.nanoTime();
            Task<Integer> a = createTask(() -> {
                int seen = 0;
                for (int i = 0; i < n; i++) {
                    ping.put(i);
                    if (pong.get() == i) {
                        seen++;
                    }
                }
                return seen;
            });
            Task<Integer> b = createTask(() -> {
                int seen = 0;
                for (int i = 0; i < n; i++) {
                    int token = ping.get();
                    if (token == i) {
                        seen++;
                    }
                    pong.put(token);
                }
                return seen;
            });
            int seenA = await(a);
            int seenB = await(b);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, seenA == n && seenB == n);
        });
    }

    /** n tasks each sleep a seeded random delay in [0, 1 s]; the parent gathers them. */
    static Round sleepers(int n) {
        SplittableRandom random = new SplittableRandom(42);
        long[] delays = new long[n];
        long longest = 0;
        for (int i = 0; i < n; i++) {
            delays[i] = (long) (random.nextDouble() * 1e9);
            longest = Math.max(longest, delays[i]);
        }
        long longestNs = longest;
        return run(() -> {
            long t0 = System.nanoTime();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Duration d = Duration.ofNanos(delays[i]);
                tasks.add(createTask(() -> sleep(d)));
            }
            int returned = await(gather(tasks)).size();
            long elapsed = System.nanoTime() - t0;
            return new Round(elapsed / 1e9, returned == n && elapsed >= longestNs);
        });
    }

    /** n tasks each wait_for(sleep(60 s), 1 ms + (i mod 100) ms); every one times out. */
    static Round timeouts(int n) {
        return run(() -> {
            int[] timedOut = {0};
            int[] completed = {0};
            long t0 = System.nanoTime();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Duration limit = Duration.ofMillis(1 + i % 100);
                tasks.add(createTask(() -> {
                    try {
                        waitFor(() -> {
                            sleep(Duration.ofSeconds(60));
                            completed[0]++;
                            return null;
                        }, limit);
                    } catch (TimeoutError e) {
                        timedOut[0]++;
                    }
                }));
            }
            await(gather(tasks));
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, timedOut[0] == n && completed[0] == 0);
        });
    }

    /** A queue of capacity 1024; 4 producers put n/4 integers each, 4 consumers take them all. */
    static Round queue(int n) {
        return run(() -> {
            Queue<Integer> queue = new Queue<>(1024);
            int producers = 4;
            int per = n / producers;
            long expected = 0;
            for (int p = 0; p < producers; p++) {
                for (int i = 0; i < per; i++) {
                    expected += p * per + i;
                }
            }
            long t0 = System.nanoTime();
            List<Task<Void>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * per;
                producing.add(createTask(() -> {
                    for (int i = 0; i < per; i++) {
                        queue.put(base + i);
                    }
                }));
            }
            List<Task<Long>> consuming = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                consuming.add(createTask(() -> {
                    long sum = 0;
                    try {
                        while (true) {
                            sum += queue.get();
                        }
                    } catch (QueueShutDown done) {
                        return sum;
                    }
                }));
            }
            await(gather(producing));
            queue.shutdown();
            long taken = 0;
            for (long s : await(gather(consuming))) {
                taken += s;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Round(seconds, taken == expected);
        });
    }
}
