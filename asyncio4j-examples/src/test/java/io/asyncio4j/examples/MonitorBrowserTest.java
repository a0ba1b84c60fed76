package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.monitor.Monitor;
import io.asyncio4j.http.ws.WebSocket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor page in a real browser: headless Chromium opens it while a program runs a task
 * named victim; the test reads the page's DOM and clicks the task's Cancel button through the
 * Chrome DevTools Protocol (over asyncio4j's own WebSocket client), and the task is cancelled in
 * the program. Skipped with a message where Chromium is missing (CI installs it).
 */
class MonitorBrowserTest {
    private int nextId;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void thePageShowsTheProgramsTaskAndItsCancelButtonCancelsItInTheProgram() throws Exception {
        String chromium = ChatBrowserTest.chromium();
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread program = Thread.ofPlatform().name("observed-program").start(() -> Asyncio.run(() -> {
            Asyncio.createTask("victim", () -> {
                try {
                    Asyncio.sleep(Duration.ofSeconds(80));
                } catch (CancelledError e) {
                    cancelled.complete(String.valueOf(e.getMessage()));
                    throw e;
                }
                return null;
            });
            Asyncio.sleep(Duration.ZERO);
            ready.countDown();
            Asyncio.toThread(() -> end.await(80, TimeUnit.SECONDS));
            return null;
        }));
        Path profile = Files.createTempDirectory("monitor-browser");
        Process browser = null;
        try (Monitor monitor = Monitor.start()) {
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            browser = ChatBrowserTest.open(chromium, profile, monitor.url());
            String pageSocket = devToolsPage(profile, monitor.url());
            Asyncio.run(() -> {
                try (WebSocket page = WebSocket.connect(pageSocket)) {
                    // the page renders /api/loops once a second: wait for the victim's row
                    awaitTrue(page, "document.querySelector('tr[data-name=\"victim\"]') !== null");
                    assertEquals("waiting", evaluate(page,
                            "document.querySelector('tr[data-name=\"victim\"] td:nth-child(3)').textContent"));
                    String waitingOn = (String) evaluate(page,
                            "document.querySelector('tr[data-name=\"victim\"] td:nth-child(5)').textContent");
                    assertTrue(waitingOn.startsWith("sleep, "), waitingOn);
                    // the chart: the sampler's history has two samples after a second or two
                    awaitTrue(page, "document.querySelector('section svg polyline') !== null");
                    evaluate(page, "document.querySelector('button.cancel[data-name=\"victim\"]').click(), true");
                    assertEquals("cancelled from the asyncio4j monitor", Asyncio.toThread(
                            () -> cancelled.get(15, TimeUnit.SECONDS)));
                    awaitTrue(page, "document.getElementById('message').textContent.startsWith('cancelled #')");
                    awaitTrue(page, "document.querySelector('tr[data-name=\"victim\"]') === null");
                }
                return null;
            });
        } finally {
            end.countDown();
            if (browser != null) {
                browser.destroy();
                if (!browser.waitFor(5, TimeUnit.SECONDS)) {
                    browser.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            ChatBrowserTest.deleteTree(profile);
            program.join(10_000);
        }
    }

    /** Finds the DevTools WebSocket of the page showing {@code url}: Chromium writes its port to the profile. */
    private static String devToolsPage(Path profile, String url) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    String targets = httpGet("http://127.0.0.1:" + lines.get(0).strip() + "/json/list");
                    for (Object o : JsonCodec.defaultCodec().decode(targets.getBytes(StandardCharsets.UTF_8), List.class)) {
                        Map<?, ?> t = (Map<?, ?>) o;
                        if ("page".equals(t.get("type")) && String.valueOf(t.get("url")).startsWith(url)) {
                            return (String) t.get("webSocketDebuggerUrl");
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Chromium opened no DevTools page for " + url + " within 30 s (log: "
                + profile.resolve("chromium.log") + ")");
    }

    private static String httpGet(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Runs a JavaScript expression in the page (CDP Runtime.evaluate) and returns its value. */
    private Object evaluate(WebSocket page, String expression) throws Exception {
        int id = ++nextId;
        page.sendJson(Map.of("id", id, "method", "Runtime.evaluate",
                "params", Map.of("expression", expression, "returnByValue", true)));
        while (true) {
            Map<?, ?> reply = page.receiveJson(Map.class);
            if (reply.get("id") instanceof Number n && n.intValue() == id) {
                Map<?, ?> result = (Map<?, ?>) reply.get("result");
                if (result == null || result.containsKey("exceptionDetails")) {
                    throw new AssertionError("the page failed to evaluate " + expression + ": " + reply);
                }
                return ((Map<?, ?>) result.get("result")).get("value");
            }
        }
    }

    private void awaitTrue(WebSocket page, String expression) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(evaluate(page, expression))) {
                return;
            }
            Asyncio.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the page never made this true within 30 s: " + expression + "; body: "
                + evaluate(page, "document.body.innerText"));
    }
}
