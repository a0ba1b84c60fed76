package io.asyncio4j.http.ws;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Future;
import io.asyncio4j.http.internal.server.RequestImpl;
import io.asyncio4j.http.internal.ws.PerMessageDeflate;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.testing.HttpTest;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * permessage-deflate's compressors hold native memory (zlib's, about 300 KiB per end of a
 * connection, outside the heap): every way a connection ends closes them at once, rather than
 * leaving them to a {@code Cleaner} that runs only after a collection.
 */
class WsCompressorReleaseTest {

    private static AppRunner serve(Application app, ServerSettings settings) throws Exception {
        AppRunner r = new AppRunner(app, settings);
        r.setup();
        r.addTcpSite("127.0.0.1", 0);
        return r;
    }

    private static int port(AppRunner r) {
        return r.sites().get(0).port();
    }

    /** {@return how many of the compressors made since {@code before} are still open} after they had 5 s to close */
    private static long openSince(long before) {
        for (int i = 0; i < 500 && PerMessageDeflate.openCount() > before; i++) {
            Asyncio.sleep(Duration.ofMillis(10));
        }
        return PerMessageDeflate.openCount() - before;
    }

    @HttpTest
    void aClosedConnectionClosesTheCompressorsOfBothEnds() throws Exception {
        long before = PerMessageDeflate.openCount();
        try (AppRunner r = serve(WebSocketTest.echoApp(WsOptions.defaults()), ServerSettings.defaults())) {
            WebSocket ws = WebSocket.connect("ws://127.0.0.1:" + port(r) + "/echo");
            assertTrue(ws.compressed());
            ws.sendText("hello");
            assertEquals("hello", ws.receiveText());
            assertEquals(2, PerMessageDeflate.openCount() - before, "one for each end while open");
            ws.close();
            assertEquals(0, openSince(before), "both closed with the connection");
        }
    }

    @HttpTest
    void aClientThatVanishesClosesTheServersCompressor() throws Exception {
        long before = PerMessageDeflate.openCount();
        try (AppRunner r = serve(WebSocketTest.echoApp(WsOptions.defaults()), ServerSettings.defaults())) {
            RawClient c = RawClient.open(port(r), "/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
            assertEquals(1, PerMessageDeflate.openCount() - before, "the server's end compresses");
            c.close(); // a reset, no close frame
            assertEquals(0, openSince(before), "the lost connection's compressor was closed");
        }
    }

    @HttpTest
    void aHandshakeWhoseClientLeftBeforePrepareClosesItsCompressor() throws Exception {
        Future<Void> handling = Asyncio.createFuture();
        Future<IOException> refused = Asyncio.createFuture();
        Application app = new Application();
        app.router().get("/late", req -> {
            handling.setResult(null);
            // the handler is busy (an authentication, say) while the client goes away
            while (!((RequestImpl) req).exchange().aborted()) {
                Asyncio.sleep(Duration.ofMillis(5));
            }
            WebSocketResponse ws = new WebSocketResponse();
            try {
                ws.prepare(req);
            } catch (IOException e) {
                refused.setResult(e);
                return Response.text("gone");
            }
            return ws;
        });
        long before = PerMessageDeflate.openCount();
        // without handler cancellation the handler goes on after the client left, up to prepare()
        try (AppRunner r = serve(app, ServerSettings.defaults().withHandlerCancellation(false))) {
            int port = port(r);
            Socket c = Asyncio.toThread(() -> {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write(("GET /late HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
                        .getBytes(ISO_8859_1));
                return s;
            });
            Asyncio.waitFor(handling, Duration.ofSeconds(10));
            Asyncio.toThread(() -> {
                c.setSoLinger(true, 0); // the close resets the connection: the server sees it lost
                c.close();
                return null;
            });
            Asyncio.waitFor(refused, Duration.ofSeconds(10));
            assertEquals(0, PerMessageDeflate.openCount() - before,
                    "the session made for the handshake closed its compressor when the 101 could not be sent");
        }
    }
}
