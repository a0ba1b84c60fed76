package io.asyncio4j.http.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.interop.BackgroundServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop both ways with WebSocket implementations nobody here wrote: Python's websockets
 * (Debian python3-websockets) and aiohttp (python3-aiohttp), and Node's ws package (npm). Each
 * peer is a client of our echo server (text, 100 KB binary, a fragmented message, ping/pong, a
 * close with a code, permessage-deflate negotiated) and an echo server for our client (the same,
 * with our streamed send). Skipped with a message when a peer is missing; CI installs them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WsInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    static Path script(String name) throws IOException {
        String suffix = name.substring(name.lastIndexOf('.'));
        Path p = Files.createTempFile("ws_peer", suffix);
        try (InputStream in = WsInteropTest.class.getResourceAsStream("/io/asyncio4j/http/interop/" + name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    static void requirePython(String module, String debian) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is missing: skipping");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + module).redirectErrorStream(true).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "Python's " + module
                + " is not installed (Debian: apt-get install " + debian + "; .ci/run installs it): skipping");
    }

    /** {@return a node_modules folder that holds ws}; skips when there is none */
    static Path nodeModulesWithWs() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("ASYNCIO4J_NODE_MODULES");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of(System.getProperty("user.dir")).resolve("../.ci/node/node_modules").normalize());
        candidates.add(Path.of("/work/shared/peers/node/node_modules"));
        candidates.add(Path.of("/usr/lib/node_modules"));
        candidates.add(Path.of("/usr/share/nodejs"));
        boolean node = Files.isExecutable(Path.of("/usr/bin/node")) || Files.isExecutable(Path.of("/usr/local/bin/node"));
        assumeTrue(node, "node is not installed (Debian: apt-get install nodejs; .ci/run installs it): skipping");
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("ws/package.json"))) {
                return c;
            }
        }
        assumeTrue(false, "Node's ws package is not installed (.ci/run installs it into .ci/node with npm): skipping");
        return null;
    }

    static String runClient(List<String> cmd, Path nodePath) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (nodePath != null) {
            pb.environment().put("NODE_PATH", nodePath.toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            assertTrue(p.waitFor(40, TimeUnit.SECONDS), "the peer finished");
            String s = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), s);
            return s.lines().reduce((a, b) -> b).orElse("");
        } finally {
            p.destroyForcibly();
        }
    }

    static void checkPeerClient(String json, boolean fragmented) {
        Map<?, ?> out = JsonCodec.defaultCodec().decode(json.getBytes(StandardCharsets.UTF_8), Map.class);
        assertEquals("hello ✓", out.get("text"), json);
        assertEquals(true, out.get("binary"), json);
        if (fragmented) {
            assertTrue(((String) out.get("fragmented")).startsWith("fragment"), json);
        }
        assertEquals(List.of(4000, "asked to"), out.get("close"), json);
        assertTrue(((List<?>) out.get("extensions")).contains("permessage-deflate"), "deflate negotiated: " + json);
    }

    // ------------------------------------------------------------------ peers as clients of our server

    @Test
    void pythonWebsocketsClientTalksToOurServer() throws Exception {
        requirePython("websockets", "python3-websockets");
        Path s = script("ws_peers.py");
        try (BackgroundServer server = BackgroundServer.start(WebSocketTest.echoApp(WsOptions.defaults()))) {
            String out = runClient(List.of(PYTHON.toString(), s.toString(), "websockets-client",
                    "ws://127.0.0.1:" + server.port() + "/echo"), null);
            checkPeerClient(out, true);
            assertTrue(out.contains("\"pong\": true"), out);
        } finally {
            Files.deleteIfExists(s);
        }
    }

    @Test
    void aiohttpClientTalksToOurServer() throws Exception {
        requirePython("aiohttp", "python3-aiohttp");
        Path s = script("ws_peers.py");
        try (BackgroundServer server = BackgroundServer.start(WebSocketTest.echoApp(WsOptions.defaults()))) {
            String out = runClient(List.of(PYTHON.toString(), s.toString(), "aiohttp-client",
                    "ws://127.0.0.1:" + server.port() + "/echo"), null);
            checkPeerClient(out, false);
            assertTrue(out.contains("\"json\": {\"a\": [1, 2]}"), out);
        } finally {
            Files.deleteIfExists(s);
        }
    }

    @Test
    void nodeWsClientTalksToOurServer() throws Exception {
        Path modules = nodeModulesWithWs();
        Path s = script("ws_peer.js");
        try (BackgroundServer server = BackgroundServer.start(WebSocketTest.echoApp(WsOptions.defaults()))) {
            String out = runClient(List.of("node", s.toString(), "client", "ws://127.0.0.1:" + server.port() + "/echo"),
                    modules);
            checkPeerClient(out, true);
            assertTrue(out.contains("\"pong\":true"), out);
        } finally {
            Files.deleteIfExists(s);
        }
    }

    // ------------------------------------------------------------------ our client against peers' servers

    static void ourClientAgainst(List<String> cmd, Path nodePath, String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (nodePath != null) {
            pb.environment().put("NODE_PATH", nodePath.toString());
        }
        Process p = pb.start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertTrue(line != null && line.strip().matches("\\d+"), "the peer printed its port: " + line);
            int port = Integer.parseInt(line.strip());
            Asyncio.run(() -> {
                WsOptions o = WsOptions.defaults().withDeliverPings(true).withMaxMessageSize(1 << 24);
                try (WebSocket ws = WebSocket.connect("ws://127.0.0.1:" + port + path, o)) {
                    assertTrue(ws.compressed(), "the peer accepted our permessage-deflate offer");
                    ws.sendText("hello ✓");
                    assertEquals("hello ✓", ws.receiveText());
                    byte[] data = new byte[100_000];
                    new Random(3).nextBytes(data);
                    ws.sendBinary(data);
                    assertArrayEquals(data, ws.receiveBytes());
                    try (WebSocket.MessageWriter w = ws.openMessage(false)) {
                        w.write("frag".getBytes(StandardCharsets.UTF_8));
                        w.write("ment".getBytes(StandardCharsets.UTF_8));
                    }
                    assertEquals("fragment", ws.receiveText());
                    ws.ping("pp".getBytes(StandardCharsets.UTF_8));
                    assertEquals(new WsMessage.Pong("pp".getBytes(StandardCharsets.UTF_8)), ws.receive(Duration.ofSeconds(5)));
                    ws.sendText("close-me");
                    assertEquals(new WsMessage.Close(4000, "asked to"), ws.receive(Duration.ofSeconds(5)));
                    assertEquals(4000, ws.closeCode());
                }
                return null;
            });
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void ourClientTalksToPythonWebsockets() throws Exception {
        requirePython("websockets", "python3-websockets");
        Path s = script("ws_peers.py");
        try {
            ourClientAgainst(List.of(PYTHON.toString(), s.toString(), "websockets-server"), null, "/");
        } finally {
            Files.deleteIfExists(s);
        }
    }

    @Test
    void ourClientTalksToAiohttp() throws Exception {
        requirePython("aiohttp", "python3-aiohttp");
        Path s = script("ws_peers.py");
        try {
            ourClientAgainst(List.of(PYTHON.toString(), s.toString(), "aiohttp-server"), null, "/");
        } finally {
            Files.deleteIfExists(s);
        }
    }

    @Test
    void ourClientTalksToNodeWs() throws Exception {
        Path modules = nodeModulesWithWs();
        Path s = script("ws_peer.js");
        try {
            ourClientAgainst(List.of("node", s.toString(), "server"), modules, "/");
        } finally {
            Files.deleteIfExists(s);
        }
    }
}
