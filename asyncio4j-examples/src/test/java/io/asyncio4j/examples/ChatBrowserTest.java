package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.ws.WebSocket;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat page in a real browser: headless Chromium (Debian {@code chromium}) opens two pages;
 * bob's page joins and reports, through the room, every message it has put on its page (read
 * back from its DOM); alice's page joins and says hello. The test watches the room as a third
 * member and expects alice's message, then bob's report that his page shows it. On failure a
 * screenshot of a page is saved and its path is in the message. Skipped with a message where
 * Chromium is missing (CI installs it).
 */
class ChatBrowserTest {

    static String chromium() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        assumeTrue(false, "Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it): skipping");
        return null;
    }

    static Process open(String chromium, Path profile, String url) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                url));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoBrowserPagesChatThroughTheRoom() throws Exception {
        String chromium = chromium();
        List<Process> browsers = new ArrayList<>();
        List<Path> profiles = new ArrayList<>();
        try {
            Asyncio.run(() -> {
                try (AppRunner r = new AppRunner(ChatRoom.app(ChatRoom.MEMBER_QUEUE))) {
                    r.setup();
                    int port = r.addTcpSite("127.0.0.1", 0).port();
                    String base = "http://127.0.0.1:" + port + "/";
                    try (WebSocket watcher = WebSocket.connect("ws://127.0.0.1:" + port + "/ws")) {
                        watcher.sendJson(Map.of("type", "join", "name", "watcher"));
                        ChatRoomTest.nextOfType(watcher, "welcome");
                        try {
                            Path bob = Files.createTempDirectory("chat-bob");
                            profiles.add(bob);
                            browsers.add(open(chromium, bob, base + "?name=bob&report=1"));
                            awaitJoin(watcher, "bob");
                            Path alice = Files.createTempDirectory("chat-alice");
                            profiles.add(alice);
                            browsers.add(open(chromium, alice, base + "?name=alice&say=" + q("hello from alice")));
                            awaitJoin(watcher, "alice");
                            Map<?, ?> said = messageFrom(watcher, "alice");
                            assertEquals("hello from alice", said.get("text"));
                            Map<?, ?> report = messageFrom(watcher, "bob");
                            assertEquals("bob saw: hello from alice", report.get("text"),
                                    "bob's page shows alice's message");
                        } catch (AssertionError | RuntimeException e) {
                            throw new AssertionError(e.getMessage() + " (screenshot: " + screenshot(chromium, base) + ")", e);
                        }
                    }
                }
                return null;
            });
        } finally {
            for (Process p : browsers) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            for (Path p : profiles) {
                deleteTree(p);
            }
        }
    }

    static void awaitJoin(WebSocket watcher, String name) {
        Asyncio.waitFor(() -> {
            while (true) {
                Map<?, ?> m = ChatRoomTest.next(watcher);
                if ("join".equals(m.get("type")) && name.equals(m.get("name"))) {
                    return null;
                }
            }
        }, Duration.ofSeconds(40));
    }

    static Map<?, ?> messageFrom(WebSocket watcher, String name) {
        return Asyncio.waitFor(() -> {
            while (true) {
                Map<?, ?> m = ChatRoomTest.next(watcher);
                if ("message".equals(m.get("type")) && name.equals(m.get("from"))) {
                    return m;
                }
            }
        }, Duration.ofSeconds(30));
    }

    /** Saves a screenshot of the page as a newcomer sees it; returns its path (or why there is none). */
    static String screenshot(String chromium, String base) {
        try {
            Path dir = Files.createTempDirectory("chat-shot");
            Path png = Path.of(System.getProperty("java.io.tmpdir"), "chat-failure-" + System.nanoTime() + ".png");
            Process p = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + dir, "--virtual-time-budget=3000", "--window-size=900,600",
                    "--screenshot=" + png, base + "?name=screenshot").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Asyncio.toThread(() -> p.waitFor(30, TimeUnit.SECONDS));
            p.destroyForcibly();
            deleteTree(dir);
            return png.toString();
        } catch (Exception e) {
            return "none: " + e;
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
