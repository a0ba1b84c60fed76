package io.asyncio4j.http.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.testing.HttpTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** The server's WebSocketResponse and the client's WebSocket.connect, end to end over loopback. */
class WebSocketTest {

    /** An echo endpoint at /echo, plus endpoints for the tests below. */
    static Application echoApp(WsOptions options) {
        Application app = new Application();
        app.router().get("/echo", req -> {
            WebSocketResponse ws = new WebSocketResponse(options);
            ws.prepare(req);
            for (WsMessage m : ws) {
                switch (m) {
                    case WsMessage.Text t -> {
                        if (t.data().equals("close-me")) {
                            ws.close(4000, "asked to");
                        } else {
                            ws.sendText(t.data());
                        }
                    }
                    case WsMessage.Binary b -> ws.sendBinary(b.data());
                    default -> {
                    }
                }
            }
            return ws;
        });
        return app;
    }

    static AppRunner serve(Application app) throws Exception {
        AppRunner r = new AppRunner(app);
        r.setup();
        r.addTcpSite("127.0.0.1", 0);
        return r;
    }

    static String url(AppRunner r, String path) {
        return "ws://127.0.0.1:" + r.sites().get(0).port() + path;
    }

    @HttpTest
    void textAndBinaryMessagesEchoBothWays() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"))) {
                assertTrue(ws.compressed(), "permessage-deflate is on by default on both sides");
                ws.sendText("héllo ✓");
                assertEquals(new WsMessage.Text("héllo ✓"), ws.receive());
                byte[] data = new byte[100_000];
                new Random(1).nextBytes(data);
                ws.sendBinary(data);
                assertArrayEquals(data, ws.receiveBytes());
                ws.sendText("");
                assertEquals("", ws.receiveText());
                ws.sendJson(Map.of("a", 1));
                assertEquals(Map.of("a", 1), ws.receiveJson(Map.class));
            }
        }
    }

    @HttpTest
    void uncompressedConnectionsWorkAsWell() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults().withCompression(false)))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"))) {
                assertFalse(ws.compressed());
                for (int i = 0; i < 100; i++) {
                    ws.sendText("m" + i);
                }
                for (int i = 0; i < 100; i++) {
                    assertEquals("m" + i, ws.receiveText(), "messages keep their order");
                }
            }
        }
    }

    @HttpTest
    void aStreamedMessageArrivesWholeAndHoldsOtherSendsBack() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"))) {
                Task<Void> other;
                try (WebSocket.MessageWriter w = ws.openMessage(false)) {
                    other = Asyncio.createTask(() -> ws.sendText("after"));
                    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
                    w.write(new byte[] {'a', euro[0]});          // a character split across fragments
                    Asyncio.sleep(Duration.ofMillis(5));
                    w.write(new byte[] {euro[1], euro[2], 'b'});
                }
                Asyncio.await(other);
                assertEquals("a€b", ws.receiveText());
                assertEquals("after", ws.receiveText());
            }
        }
    }

    @HttpTest
    void theClientClosesWithACodeAndTheServerSeesIt() throws Exception {
        List<Object> seen = new ArrayList<>();
        Application app = new Application();
        app.router().get("/ws", req -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(req);
            seen.add(ws.receive());
            seen.add(ws.closeCode());
            return ws;
        });
        try (AppRunner r = serve(app)) {
            WebSocket ws = WebSocket.connect(url(r, "/ws"));
            ws.close(4001, "bye");
            assertEquals(4001, ws.closeCode(), "the server echoed the code");
            assertTrue(ws.isClosed());
            assertThrows(WsClosedException.class, () -> ws.sendText("late"));
            Asyncio.sleep(Duration.ofMillis(20));
            assertEquals(List.of(new WsMessage.Close(4001, "bye"), 4001), seen);
        }
    }

    @HttpTest
    void theServerClosesAndTheClientsIterationEnds() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"))) {
                ws.sendText("close-me");
                int count = 0;
                for (WsMessage m : ws) {
                    count++;
                }
                assertEquals(0, count);
                assertEquals(4000, ws.closeCode());
                assertEquals("asked to", ws.closeReason());
                assertEquals(new WsMessage.Close(4000, "asked to"), ws.receive(), "receive after close repeats it");
            }
        }
    }

    @HttpTest
    void receiveTimesOutAndTheConnectionStaysOpen() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"))) {
                assertThrows(TimeoutError.class, () -> ws.receive(Duration.ofMillis(30)));
                ws.sendText("still there");
                assertEquals(new WsMessage.Text("still there"), ws.receive(Duration.ofSeconds(5)));
            }
        }
    }

    @HttpTest
    void pingsAreAnsweredAndDeliveredOnlyWhenAsked() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"), WsOptions.defaults().withDeliverPings(true))) {
                ws.ping(new byte[] {1, 2, 3});
                assertEquals(new WsMessage.Pong(new byte[] {1, 2, 3}), ws.receive(Duration.ofSeconds(5)));
                assertThrows(IllegalArgumentException.class, () -> ws.ping(new byte[126]));
            }
        }
    }

    @HttpTest
    void theHeartbeatRunsWhileNobodyReadsAndKeepsTheConnection() throws Exception {
        Application app = new Application();
        app.router().get("/ws", req -> {
            WebSocketResponse ws = new WebSocketResponse(WsOptions.defaults().withDeliverPings(true));
            ws.prepare(req);
            List<WsMessage> got = new ArrayList<>();
            for (WsMessage m : ws) {
                got.add(m);
                if (got.size() == 2) {
                    break;
                }
            }
            ws.sendText(got.toString());
            while (!(ws.receive() instanceof WsMessage.Close)) {
                // more pings until the client closes
            }
            return ws;
        });
        try (AppRunner r = serve(app)) {
            WsOptions hb = WsOptions.defaults().withHeartbeat(Duration.ofMillis(40));
            try (WebSocket ws = WebSocket.connect(url(r, "/ws"), hb)) {
                // nobody reads on the client for a while: its heartbeat pings anyway, the server answers
                Asyncio.sleep(Duration.ofMillis(200));
                assertFalse(ws.isClosed(), "the pongs kept the connection");
                assertTrue(ws.receiveText().startsWith("[Ping["), "the server saw the client's heartbeat pings");
            }
        }
    }

    @HttpTest
    void aSilentPeerFailsTheHeartbeatWith1006() throws Exception {
        try (var server = io.asyncio4j.stream.Streams.startServer((reader, writer) -> {
            // answers the handshake, then reads everything and never answers a ping
            byte[] head = reader.readUntil("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String key = new String(head, StandardCharsets.ISO_8859_1).lines()
                    .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:")).findFirst().orElseThrow()
                    .substring(18).strip();
            writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + io.asyncio4j.http.internal.ws.Frames.acceptFor(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            while (reader.read(4096).length > 0) {
                // swallow
            }
            writer.close();
        }, "127.0.0.1", 0)) {
            int port = ((java.net.InetSocketAddress) server.sockets().get(0)).getPort();
            WebSocket ws = WebSocket.connect("ws://127.0.0.1:" + port + "/",
                    WsOptions.defaults().withHeartbeat(Duration.ofMillis(30)).withCompression(false));
            WsMessage m = ws.receive(Duration.ofSeconds(5));
            assertEquals(new WsMessage.Close(1006, ""), m);
            assertInstanceOf(TimeoutError.class, ws.exception());
            ws.close();
        }
    }

    @HttpTest
    void aMessageOverTheLimitFailsTheConnectionWith1009() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults().withMaxMessageSize(1000)))) {
            try (WebSocket ws = WebSocket.connect(url(r, "/echo"), WsOptions.defaults().withCompression(false))) {
                ws.sendBinary(new byte[1001]);
                WsMessage m = ws.receive(Duration.ofSeconds(5));
                assertInstanceOf(WsMessage.Close.class, m);
                assertEquals(1009, ws.closeCode());
            }
        }
    }

    @HttpTest
    void subprotocolsAreNegotiatedInTheServersOrder() throws Exception {
        Application app = new Application();
        app.router().get("/ws", req -> {
            WebSocketResponse ws = new WebSocketResponse(WsOptions.defaults().withProtocols(List.of("v2", "v1")));
            ws.prepare(req);
            ws.sendText(String.valueOf(ws.protocol()));
            ws.receive();
            return ws;
        });
        try (AppRunner r = serve(app)) {
            try (WebSocket ws = WebSocket.connect(url(r, "/ws"), WsOptions.defaults().withProtocols(List.of("v1", "v2")))) {
                assertEquals("v2", ws.protocol());
                assertEquals("v2", ws.receiveText());
            }
            try (WebSocket ws = WebSocket.connect(url(r, "/ws"), WsOptions.defaults().withProtocols(List.of("v3")))) {
                assertNull(ws.protocol());
                assertEquals("null", ws.receiveText());
            }
        }
    }

    @HttpTest
    void badHandshakesAreRefusedWithClearStatuses() throws Exception {
        Application app = new Application();
        app.router().get("/ws", req -> {
            WebSocketResponse ws = new WebSocketResponse(WsOptions.defaults()
                    .withAllowedOrigins(Set.of("http://good.example")));
            ws.prepare(req);
            ws.receive();
            return ws;
        });
        try (AppRunner r = serve(app)) {
            WsHandshakeException e = assertThrows(WsHandshakeException.class, () -> WebSocket.connect(url(r, "/ws"),
                    WsOptions.defaults().withOrigin("http://evil.example")));
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("origin not allowed"), e.getMessage());
            try (WebSocket ws = WebSocket.connect(url(r, "/ws"), WsOptions.defaults().withOrigin("http://good.example"))) {
                assertFalse(ws.isClosed());
            }
            e = assertThrows(WsHandshakeException.class, () -> WebSocket.connect(url(r, "/missing")));
            assertEquals(404, e.status());
            int port = r.sites().get(0).port();
            String v8 = RawClient.handshakeStatus(port, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 8\r\n\r\n");
            assertTrue(v8.startsWith("HTTP/1.1 426 ") && v8.contains("Sec-WebSocket-Version: 13"), v8);
            String badKey = RawClient.handshakeStatus(port, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(badKey.startsWith("HTTP/1.1 400 "), badKey);
            String post = RawClient.handshakeStatus(port, "POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n");
            assertTrue(post.startsWith("HTTP/1.1 405 "), post);
            String plain = io.asyncio4j.http.testing.TestClient.class.getSimpleName(); // the test kit speaks plain HTTP
            try (var c = io.asyncio4j.http.testing.TestClient.connect("127.0.0.1", r.sites().get(0).port())) {
                assertEquals(400, c.get("/ws").status(), plain + ": a GET without Upgrade is a 400");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> WebSocket.connect("http://127.0.0.1:1/"));
    }

    @HttpTest
    void gracefulShutdownSends1001ToOpenWebSockets() throws Exception {
        AppRunner r = serve(echoApp(WsOptions.defaults()));
        WebSocket ws = WebSocket.connect(url(r, "/echo"));
        ws.sendText("x");
        assertEquals("x", ws.receiveText());
        Task<Void> shutdown = Asyncio.createTask(r::cleanup);
        WsMessage m = ws.receive(Duration.ofSeconds(5));
        assertEquals(1001, ((WsMessage.Close) m).code());
        Asyncio.await(shutdown);
        ws.close();
    }

    @HttpTest
    void theServerRejectsUnmaskedFramesWith1002() throws Exception {
        try (AppRunner r = serve(echoApp(WsOptions.defaults()))) {
            RawClient c = RawClient.open(r.sites().get(0).port(), "/echo", null);
            c.sendFrame(0x81, false, "hi".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame f = c.readFrame();
            assertEquals(0x88, f.b0());
            assertEquals(1002, f.closeCode());
            assertTrue(c.atEof(), "the server closed the connection");
            c.close();
        }
    }
}
