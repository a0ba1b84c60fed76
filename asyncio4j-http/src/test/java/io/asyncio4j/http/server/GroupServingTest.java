package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.LoopLocal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP server on a loop group: one application, every loop serving, aiohttp's shutdown on each. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupServingTest {

    /** Clients that block: a thread each (the common pool has one thread on two cores). */
    private static final java.util.concurrent.ExecutorService CLIENTS = java.util.concurrent.Executors
            .newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r));

    /** GET over a fresh connection from a plain thread; {@return the body, or the whole reply if not 200} */
    private static String get(int port, String target) throws Exception {
        String reply = HttpTesting.rawExchange(port, ascii("GET " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n"), false, 10_000);
        if (!reply.startsWith("HTTP/1.1 200")) {
            return reply;
        }
        return reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void oneApplicationIsServedByEveryLoopOfTheGroup() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            AtomicInteger startups = new AtomicInteger();
            Application app = new Application();
            app.onStartup(a -> startups.incrementAndGet());
            app.router().get("/", r -> Response.text("loop " + group.indexOf(Asyncio.getRunningLoop())));
            Asyncio.run(() -> {
                try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false), group)) {
                    runner.setup();
                    Site site = runner.addTcpSite("127.0.0.1", 0);
                    assertTrue(site.url().startsWith("http://127.0.0.1:"), site.url());
                    Set<String> loops = Asyncio.toThread(() -> {
                        Set<String> seen = new HashSet<>();
                        for (int k = 0; k < 40; k++) {
                            seen.add(get(site.port(), "/"));
                        }
                        return seen;
                    });
                    assertEquals(Set.of("loop 0", "loop 1"), loops, "both loops served (40 connections)");
                    assertEquals(0, runner.requestsInFlight());
                }
                return null;
            });
            assertEquals(1, startups.get(), "the start-up hooks ran once, on the runner's loop");
        }
    }

    @Test
    void aPerLoopCounterCountsEveryRequestWithoutLocksAndAddsUpOnDemand() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            LoopLocal<long[]> hits = LoopLocal.of(group, i -> new long[1]);
            Application app = new Application();
            app.router().get("/hit", r -> {
                hits.get()[0]++;
                return Response.text("hit");
            });
            app.router().get("/stats", r -> Response.text(hits.map(h -> h[0]) + " = "
                    + hits.mapReduce(h -> h[0], 0L, Long::sum)));
            Asyncio.run(() -> {
                try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false), group)) {
                    runner.setup();
                    int port = runner.addTcpSite("127.0.0.1", 0).port();
                    String stats = Asyncio.toThread(() -> {
                        List<Thread> clients = new ArrayList<>();
                        for (int t = 0; t < 4; t++) {
                            clients.add(Thread.ofPlatform().start(() -> {
                                for (int k = 0; k < 50; k++) {
                                    try {
                                        assertEquals("hit", get(port, "/hit"));
                                    } catch (Exception e) {
                                        throw new AssertionError(e);
                                    }
                                }
                            }));
                        }
                        for (Thread c : clients) {
                            c.join();
                        }
                        return get(port, "/stats");
                    });
                    assertTrue(stats.endsWith(" = 200"), stats);
                    String[] perLoop = stats.substring(1, stats.indexOf(']')).split(", ");
                    assertEquals(2, perLoop.length, stats);
                    assertTrue(Long.parseLong(perLoop[0]) > 0 && Long.parseLong(perLoop[1]) > 0,
                            "both loops counted some: " + stats);
                }
                return null;
            });
        }
    }

    @Test
    void cleanupOnAGroupFinishesTheRequestsInFlightOnEveryLoopAndCancelsTheOnesPastTheTimeout() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            Set<Integer> cancelledOn = ConcurrentHashMap.newKeySet();
            Set<Integer> startedOn = ConcurrentHashMap.newKeySet();
            AtomicInteger started = new AtomicInteger();
            Application app = new Application();
            app.router().get("/slow", r -> {
                int ms = Integer.parseInt(r.query("ms").orElseThrow());
                startedOn.add(group.indexOf(Asyncio.getRunningLoop()));
                started.incrementAndGet();
                try {
                    Asyncio.sleep(Duration.ofMillis(ms));
                } catch (io.asyncio4j.CancelledError e) {
                    cancelledOn.add(group.indexOf(Asyncio.getRunningLoop()));
                    throw e;
                }
                return Response.text("done " + ms);
            });
            List<String> replies = new ArrayList<>();
            long[] cleanupMs = new long[1];
            Asyncio.run(() -> {
                AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false)
                        .withShutdownTimeout(Duration.ofMillis(600)), group);
                runner.setup();
                int port = runner.addTcpSite("127.0.0.1", 0).port();
                List<CompletableFuture<String>> inFlight = new ArrayList<>();
                for (int k = 0; k < 12; k++) {
                    String target = k % 3 == 0 ? "/slow?ms=20000" : "/slow?ms=300";
                    inFlight.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return get(port, target);
                        } catch (Exception e) {
                            return e.toString();
                        }
                    }, CLIENTS));
                }
                while (started.get() < 12) {
                    Asyncio.sleep(Duration.ofMillis(10));
                }
                long t0 = System.nanoTime();
                runner.cleanup();
                cleanupMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                for (CompletableFuture<String> f : inFlight) {
                    replies.add(Asyncio.await(f));
                }
                assertEquals(0, runner.connectionCount());
                return null;
            });
            assertEquals(Set.of(0, 1), startedOn, "requests were in flight on both loops (12 connections)");
            int done = 0;
            int cut = 0;
            for (String r : replies) {
                if (r.equals("done 300")) {
                    done++;
                } else {
                    assertFalse(r.startsWith("HTTP/1.1 200"), r);
                    cut++;
                }
            }
            assertEquals(8, done, "the requests that end within the timeout got their responses: " + replies);
            assertEquals(4, cut, "the slowest were cut off: " + replies);
            assertFalse(cancelledOn.isEmpty());
            assertTrue(cleanupMs[0] >= 500 && cleanupMs[0] < 10_000, "waited out the shutdown timeout: "
                    + cleanupMs[0] + " ms");
        }
    }

    @Test
    void sigtermStopsAnInstanceOnAGroupGracefullyOnEveryLoop() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), GroupAppMain.class.getName(), Integer.toString(port), "a")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("(Press CTRL+C")) {
                lines.add(line);
            }
            assertTrue(lines.contains("======== Running on http://127.0.0.1:" + port + " ========"), lines.toString());
            // requests in flight on both loops (keep opening connections until both loops have one)
            List<CompletableFuture<String>> replies = new ArrayList<>();
            Set<String> loops = new HashSet<>();
            for (int k = 0; k < 40 && loops.size() < 2; k++) {
                loops.add(get(port, "/"));
            }
            assertEquals(Set.of("a loop 0", "a loop 1"), loops);
            for (int k = 0; k < 8; k++) {
                int id = k;
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(port, "/work?id=" + id + "&ms=800");
                    } catch (Exception e) {
                        return e.toString();
                    }
                }, CLIENTS));
            }
            int starts = 0;
            while (starts < 8 && (line = out.readLine()) != null) {
                if (line.startsWith("start ")) {
                    starts++;
                }
            }
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            for (int k = 0; k < 8; k++) {
                assertEquals("a " + k, replies.get(k).get(20, TimeUnit.SECONDS), "finished despite the SIGTERM");
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the instance stopped");
            assertEquals(0, p.exitValue());
            List<String> rest = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("end ")) {
                    rest.add(line);
                }
            }
            assertEquals(List.of("shutdown", "cleanup", "runApp returned", "group closed"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
