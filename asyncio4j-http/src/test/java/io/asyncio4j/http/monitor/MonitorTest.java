package io.asyncio4j.http.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.http.JsonCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor's endpoints, against a program running on a loop of its own thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MonitorTest {
    private final CompletableFuture<String> victimCancelled = new CompletableFuture<>();
    private final CountDownLatch programReady = new CountDownLatch(1);
    private final CountDownLatch programEnd = new CountDownLatch(1);
    private Thread program;
    private Monitor monitor;

    /** The program: a victim that sleeps, and a parent awaiting two children (for the tree). */
    @BeforeEach
    void startProgram() throws Exception {
        program = Thread.ofPlatform().name("observed-program").start(() -> Asyncio.run(() -> {
            Asyncio.createTask("victim", () -> {
                try {
                    Asyncio.sleep(Duration.ofSeconds(60));
                } catch (CancelledError e) {
                    victimCancelled.complete(String.valueOf(e.getMessage()));
                    throw e;
                }
                return null;
            });
            Asyncio.createTask("parent", () -> Asyncio.await(Asyncio.gather(
                    Asyncio.createTask("child-a", () -> {
                        Asyncio.sleep(Duration.ofSeconds(60));
                        return null;
                    }),
                    Asyncio.createTask("child-b", () -> {
                        Asyncio.sleep(Duration.ofSeconds(60));
                        return null;
                    }))));
            Asyncio.sleep(Duration.ZERO);
            programReady.countDown();
            Asyncio.toThread(() -> {
                programEnd.await();
                return null;
            });
            return null; // the run ends: its remaining tasks are cancelled
        }));
        assertTrue(programReady.await(10, TimeUnit.SECONDS));
        monitor = Monitor.start(MonitorOptions.defaults().withSampleInterval(Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        monitor.close();
        programEnd.countDown();
        program.join(10_000);
    }

    /** A response as the test reads it. */
    private record Reply(int statusCode, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (name.equalsIgnoreCase(e.getKey())) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }
    }

    private Reply get(String path) throws Exception {
        return send("GET", path, false);
    }

    private Reply post(String path, boolean withHeader) throws Exception {
        return send("POST", path, withHeader);
    }

    private Reply send(String method, String path, boolean withHeader) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(monitor.url() + path.substring(1)).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        if (withHeader) {
            c.setRequestProperty("X-Asyncio4j-Monitor", "cancel");
        }
        if (method.equals("POST")) {
            c.setDoOutput(true);
            c.getOutputStream().close();
        }
        int status = c.getResponseCode();
        var in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return new Reply(status, c.getHeaderFields(), body);
    }

    private static Map<?, ?> json(String body) {
        return JsonCodec.defaultCodec().decode(body.getBytes(StandardCharsets.UTF_8), Map.class);
    }

    /** The program's loop in /api/loops: the one with a task named victim. */
    private Map<?, ?> programLoop() throws Exception {
        Reply r = get("/api/loops");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Optional.of("no-store"), r.header("Cache-Control"));
        for (Object o : (List<?>) json(r.body()).get("loops")) {
            Map<?, ?> loop = (Map<?, ?>) o;
            if (Boolean.TRUE.equals(loop.get("answered")) && task(loop, "victim").isPresent()) {
                return loop;
            }
        }
        throw new AssertionError("no loop shows the victim: " + r.body());
    }

    private static Optional<Map<?, ?>> task(Map<?, ?> loop, String name) {
        for (Object o : (List<?>) loop.get("tasks")) {
            Map<?, ?> t = (Map<?, ?>) o;
            if (name.equals(t.get("name"))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Test
    void thePageAndTheLoopsTasksWithWhatTheyWaitOnTheirStacksAndTheTreeAreServed() throws Exception {
        Reply page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>asyncio4j monitor</title>"));

        Map<?, ?> loop = programLoop();
        assertEquals("observed-program", loop.get("name"));
        Map<?, ?> victim = task(loop, "victim").orElseThrow();
        assertEquals("waiting", victim.get("state"));
        assertTrue(((String) victim.get("waitingOn")).startsWith("sleep, "), victim.toString());
        assertTrue(((List<?>) victim.get("stack")).stream().anyMatch(f -> f.toString().contains("MonitorTest")),
                "the task's own frames: " + victim);
        Map<?, ?> childA = task(loop, "child-a").orElseThrow();
        assertTrue(((List<?>) childA.get("awaitedBy")).get(0).toString().endsWith(" parent"), childA.toString());
        String tree = (String) loop.get("tree");
        assertTrue(tree.contains("parent (waiting: gather of 2"), tree);
        assertTrue(((String) loop.get("statistics")).contains("tasks="), loop.toString());
        // the sampler runs every 100 ms: the chart's history fills without a page open
        Thread.sleep(500);
        Map<?, ?> history = (Map<?, ?>) programLoop().get("history");
        assertTrue(((List<?>) history.get("tasks")).size() >= 2, history.toString());
        assertTrue(((List<?>) history.get("lagMs")).size() >= 2, history.toString());
    }

    @Test
    void aCancellationNeedsTheMonitorsHeaderThenCancelsTheTaskInTheProgram() throws Exception {
        Map<?, ?> loop = programLoop();
        String key = (String) loop.get("key");
        long id = ((Number) task(loop, "victim").orElseThrow().get("id")).longValue();
        String path = "/api/cancel?loop=" + key + "&task=" + id;

        Reply forged = post(path, false);
        assertEquals(403, forged.statusCode(), "a cross-site form cannot send the header");
        assertFalse(victimCancelled.isDone());

        Reply r = post(path, true);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(true, json(r.body()).get("cancelled"));
        assertEquals("cancelled from the asyncio4j monitor", victimCancelled.get(5, TimeUnit.SECONDS));

        Reply again = post(path, true);
        assertEquals(404, again.statusCode(), again.body());
        assertEquals(false, json(again.body()).get("cancelled"));
        assertEquals(404, post("/api/cancel?loop=nope&task=1", true).statusCode());
        assertEquals(400, post("/api/cancel?loop=" + key + "&task=x", true).statusCode());
        assertEquals(405, get("/api/cancel?loop=" + key + "&task=" + id).statusCode(), "GET cannot cancel");
    }

    @Test
    void aRequestNamingAnotherHostIsRefused() throws Exception {
        // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own Host
        try (Socket s = new Socket("127.0.0.1", monitor.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/loops HTTP/1.1\r\nHost: evil.example:" + monitor.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 421 Misdirected Request", status);
        }
    }

    @Test
    void aLoopHeldByABlockingStepIsShownAsNotAnsweringWhileTheMonitorStillAnswers() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread held = Thread.ofPlatform().name("held-program").start(() -> Asyncio.run(() -> {
            Asyncio.getRunningLoop().callSoon(() -> {
                holding.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS); // a callback that blocks the loop's thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Asyncio.sleep(Duration.ofMillis(50));
            return null;
        }));
        try {
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            Reply r = get("/api/loops");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("did not answer within 2 s"), r.body());
            assertTrue(r.body().contains("\"victim\""), "the other loop is still shown: " + r.body());
            assertTrue(ms < 15_000, "bounded: " + ms + " ms");
        } finally {
            release.countDown();
            held.join(10_000);
        }
    }

    private static boolean monitorThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("asyncio4j-monitor") && t.isAlive());
    }

    @Test
    void closingTheMonitorStopsItsListenerAndAnotherMonitorCannotTakeAPortInUse() throws Exception {
        int port = monitor.port();
        UncheckedIOException taken = assertThrows(UncheckedIOException.class,
                () -> Monitor.start(MonitorOptions.defaults().withPort(port)));
        assertTrue(taken.getMessage().contains("cannot listen on 127.0.0.1:" + port), taken.getMessage());
        monitor.close();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        monitor.close(); // idempotent
        for (int i = 0; i < 50 && monitorThreadAlive(); i++) {
            Thread.sleep(100); // the failed start's thread ends on its own
        }
        assertFalse(monitorThreadAlive(), "close() ends the monitor's thread");
    }
}
