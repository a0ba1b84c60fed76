package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.Site;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsMessage;
import io.asyncio4j.http.ws.WsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * What permessage-deflate costs in memory per WebSocket connection (issue 11):
 *
 * <pre>
 *   ./asyncio4j bench ws-deflate-memory [N]    N connections (1,000 by default) per mode
 * </pre>
 *
 * <p>Each mode runs in a child JVM of its own, so that one mode's memory (held by the allocator
 * or the heap) does not show in the next: {@code off} (the server's {@code withCompression(false)},
 * so nothing is negotiated), {@code on} (the defaults) and {@code on-nct} (the server asks for
 * {@code server_no_context_takeover}). In a child, the server and its N clients run on one loop of
 * one process, so a connection counts both of its ends; the clients offer permessage-deflate
 * in every mode, and the server's option decides. The child's heap is fixed and touched up front
 * ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}), so the growth of the process's resident set
 * ({@code VmRSS} of {@code /proc/self/status}) is native memory (zlib's, which the JDK allocates
 * with {@code malloc}, outside the heap and outside Native Memory Tracking), and the heap's
 * share is read apart as the heap used after a full collection (one that compacts all of it:
 * the serial collector would otherwise leave up to 5% of the old generation as dead space).
 *
 * <p>A child samples after warming up, after opening the N connections, after one short message
 * each way on each (the first use of the compressors), after 128 KiB more each way (32 KiB
 * messages: enough to touch all of zlib's buffers), and after closing them all while still
 * holding every {@code WebSocket} (so that only {@code end()}, not a {@code Cleaner}, can have
 * freed zlib's memory), before and after {@code malloc_trim(0)} (glibc keeps freed memory for
 * reuse; the trim gives it back, which it can only do for memory that was freed). It then runs
 * the same cycle again and samples after the trim: memory that was not released would add up.
 * The parent prints one JSON line with the figures of every mode, in bytes per connection.
 */
final class WsDeflateMemoryBench {
    private static final int SMALL = 64;
    private static final int BIG = 32 * 1024;
    private static final int BIG_MESSAGES = 4;
    /** Connections opened, or exchanging, at once: bounds the transient memory of a step. */
    private static final int BATCH = 100;
    private static final List<String> MODES = List.of("off", "on", "on-nct");

    private WsDeflateMemoryBench() {
    }

    static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("--child")) {
            child(args[2], Integer.parseInt(args[3]));
            return;
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Map<String, Map<String, Long>> byMode = new LinkedHashMap<>();
        for (String mode : MODES) {
            byMode.put(mode, runChild(mode, n));
        }
        System.out.println(report(n, byMode));
        System.out.flush();
        boolean ok = byMode.values().stream().allMatch(m -> m.get("ok") == 1);
        System.exit(ok ? 0 : 1);
    }

    // ------------------------------------------------------------------ the parent

    private static Map<String, Long> runChild(String mode, int n) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:MarkSweepDeadRatio=0", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), Workloads.class.getName(), "ws-deflate-memory", "--child",
                mode, Integer.toString(n));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> figures = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("figures ")) {
                    figures = new LinkedHashMap<>();
                    for (String kv : line.substring(8).split(" ")) {
                        int eq = kv.indexOf('=');
                        figures.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                    }
                } else {
                    System.err.println(mode + ": " + line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || figures == null) {
            throw new IllegalStateException("the " + mode + " child failed (exit " + exit + ")");
        }
        return figures;
    }

    /** {@return the JSON line}: per mode and step, the growth per connection over the warmed-up start. */
    private static String report(int n, Map<String, Map<String, Long>> byMode) {
        StringJoiner modes = new StringJoiner(",", "{", "}");
        for (Map.Entry<String, Map<String, Long>> e : byMode.entrySet()) {
            Map<String, Long> f = e.getValue();
            StringJoiner m = new StringJoiner(",", "{", "}");
            m.add("\"compressed\":" + (f.get("compressed") == n));
            for (String step : List.of("open", "one_message", "after_128k")) {
                long rss = (f.get("rss_" + step) - f.get("rss_base")) / n;
                long heap = (f.get("heap_" + step) - f.get("heap_base")) / n;
                m.add("\"" + step + "\":{\"rss\":" + rss + ",\"heap\":" + heap + ",\"total\":" + (rss + heap) + "}");
            }
            m.add("\"closed\":{\"rss\":" + (f.get("rss_closed") - f.get("rss_base")) / n + ",\"rss_trimmed\":"
                    + (f.get("rss_closed_trimmed") - f.get("rss_base")) / n + ",\"rss_second_cycle_trimmed\":"
                    + (f.get("rss_second_trimmed") - f.get("rss_base")) / n + ",\"heap\":"
                    + (f.get("heap_second_closed") - f.get("heap_base")) / n + "}");
            modes.add("\"" + e.getKey() + "\":" + m);
        }
        Map<String, Long> off = byMode.get("off");
        Map<String, Long> on = byMode.get("on");
        StringJoiner diff = new StringJoiner(",", "{", "}");
        for (String step : List.of("open", "one_message", "after_128k")) {
            long rss = (on.get("rss_" + step) - on.get("rss_base") - off.get("rss_" + step) + off.get("rss_base")) / n;
            long heap = (on.get("heap_" + step) - on.get("heap_base") - off.get("heap_" + step) + off.get("heap_base"))
                    / n;
            diff.add("\"" + step + "\":{\"rss\":" + rss + ",\"heap\":" + heap + ",\"total\":" + (rss + heap)
                    + ",\"total_per_end\":" + (rss + heap) / 2 + "}");
        }
        // zlib's zconf.h: deflate (1 << (windowBits + 2)) + (1 << (memLevel + 9)), inflate 1 << windowBits,
        // plus their state structures; the JDK uses windowBits 15 and memLevel 8, and cannot be told otherwise
        long theory = (1L << 17) + (1L << 17) + (1L << 15);
        return "{\"workload\":\"ws-deflate-memory\",\"impl\":\"asyncio4j\",\"connections\":" + n
                + ",\"ends\":\"client and server in one process: a connection counts both ends\",\"unit\":"
                + "\"bytes per connection, growth over the warmed-up start\",\"modes\":" + modes
                + ",\"deflate_on_minus_off\":" + diff + ",\"zlib_theory_per_end\":" + theory
                + ",\"zlib_theory_per_connection\":" + 2 * theory + ",\"ok\":"
                + byMode.values().stream().allMatch(m -> m.get("ok") == 1) + "}";
    }

    // ------------------------------------------------------------------ a child: one mode

    private static void child(String mode, int n) {
        WsOptions server = switch (mode) {
            case "off" -> WsOptions.defaults().withCompression(false);
            case "on" -> WsOptions.defaults();
            case "on-nct" -> WsOptions.defaults().withNoContextTakeover(true);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        List<WebSocket> serverSides = new ArrayList<>(); // touched on the loop's thread only
        Application app = new Application();
        app.router().get("/", request -> {
            WebSocketResponse ws = new WebSocketResponse(server);
            ws.prepare(request);
            serverSides.add(ws);
            for (WsMessage m : ws) {
                if (m instanceof WsMessage.Text t) {
                    ws.sendText(t.data());
                }
            }
            return ws;
        });
        Map<String, Long> f = new LinkedHashMap<>();
        boolean ok = Asyncio.run(() -> {
            try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false))) {
                runner.setup();
                Site site = runner.addTcpSite("127.0.0.1", 0);
                String url = "ws://127.0.0.1:" + site.port() + "/";
                boolean good = true;
                // warm-up: classes loaded, code compiled, the allocator's arenas and the loop's buffers made
                for (int round = 0; round < 2; round++) {
                    List<WebSocket> warm = open(url, Math.max(1, n / 5));
                    good &= exchange(warm, SMALL, 1) && exchange(warm, BIG, BIG_MESSAGES);
                    close(warm, serverSides);
                    serverSides.clear();
                }
                mallocTrim();
                sample(f, "base", true);

                List<WebSocket> clients = open(url, n);
                long compressed = clients.stream().filter(WebSocket::compressed).count();
                sample(f, "open", true);
                good &= exchange(clients, SMALL, 1);
                sample(f, "one_message", true);
                good &= exchange(clients, BIG, BIG_MESSAGES);
                sample(f, "after_128k", true);
                close(clients, serverSides);
                // every WebSocket of both sides is still referenced: what was freed, end() freed
                sample(f, "closed", false);
                mallocTrim();
                sample(f, "closed_trimmed", false);
                clients.clear();
                serverSides.clear();

                List<WebSocket> again = open(url, n);
                good &= exchange(again, SMALL, 1) && exchange(again, BIG, BIG_MESSAGES);
                close(again, serverSides);
                again.clear();
                serverSides.clear();
                mallocTrim();
                sample(f, "second_trimmed", false);
                sample(f, "second_closed", true);
                f.put("compressed", compressed);
                return good && compressed == (mode.equals("off") ? 0 : n);
            }
        });
        f.put("ok", ok ? 1L : 0L);
        StringJoiner line = new StringJoiner(" ", "figures ", "");
        f.forEach((k, v) -> line.add(k + "=" + v));
        System.out.println(line);
        System.out.flush();
    }

    /** Opens n connections, {@link #BATCH} at a time. Suspends. */
    private static List<WebSocket> open(String url, int n) {
        List<WebSocket> out = new ArrayList<>(n);
        for (int from = 0; from < n; from += BATCH) {
            List<Task<WebSocket>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                batch.add(Asyncio.createTask(() -> WebSocket.connect(url)));
            }
            out.addAll(Asyncio.await(Asyncio.gather(batch)));
        }
        return out;
    }

    /** Sends messages of a size on every connection and checks their echoes; {@return whether all came back}. */
    private static boolean exchange(List<WebSocket> clients, int size, int messages) {
        boolean[] good = {true};
        for (int from = 0; from < clients.size(); from += BATCH) {
            List<Task<Void>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(clients.size(), from + BATCH); i++) {
                WebSocket ws = clients.get(i);
                String text = text(i, size);
                batch.add(Asyncio.createTask(() -> {
                    for (int k = 0; k < messages; k++) {
                        ws.sendText(text);
                        if (!ws.receiveText().equals(text)) {
                            good[0] = false;
                        }
                    }
                }));
            }
            Asyncio.await(Asyncio.gather(batch));
        }
        return good[0];
    }

    /** Closes every client, then waits until the server's sides are closed too. Suspends. */
    private static void close(List<WebSocket> clients, List<WebSocket> serverSides) {
        for (int from = 0; from < clients.size(); from += BATCH) {
            List<Task<Void>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(clients.size(), from + BATCH); i++) {
                WebSocket ws = clients.get(i);
                batch.add(Asyncio.createTask(() -> ws.close()));
            }
            Asyncio.await(Asyncio.gather(batch));
        }
        while (serverSides.size() < clients.size() || !serverSides.stream().allMatch(WebSocket::isClosed)) {
            Asyncio.sleep(Duration.ofMillis(10));
        }
        Asyncio.sleep(Duration.ofMillis(100)); // the handlers return and their connections go
    }

    /** Text that compresses as prose does (words of a small vocabulary), different on each connection. */
    private static String text(int seed, int size) {
        String[] words = {"the", "loop", "task", "socket", "message", "window", "deflate", "frame", "close", "ping",
            "server", "client", "buffer", "queue", "timer", "future", "handler", "stream", "route", "header"};
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(size + 16);
        while (b.length() < size) {
            b.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? ". " : " ");
            if (r.nextInt(8) == 0) {
                b.append(r.nextInt(100_000)).append(' ');
            }
        }
        b.setLength(size);
        return b.toString();
    }

    /**
     * Records the resident set and, when asked, the heap used after a full collection. A collection
     * is left out after closing: it would let {@code Cleaner}s free what {@code end()} should have.
     */
    private static void sample(Map<String, Long> f, String step, boolean heap) throws IOException {
        if (heap) {
            for (int i = 0; i < 2; i++) {
                System.gc();
            }
            f.put("heap_" + step, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        f.put("rss_" + step, rssBytes());
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status (not Linux?)");
    }

    /** Gives glibc's freed memory back to the system, so that what stays resident is memory still in use. */
    @SuppressWarnings("restricted") // a downcall: the child runs with --enable-native-access=ALL-UNNAMED
    private static void mallocTrim() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle trim = linker.downcallHandle(linker.defaultLookup().find("malloc_trim").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            int released = (int) trim.invokeExact(0L);
            if (released == 0) {
                System.err.println("malloc_trim released nothing");
            }
        } catch (Throwable e) {
            System.err.println("malloc_trim is not available (" + e + "): the figures after closing include "
                    + "memory the allocator keeps");
        }
    }
}
