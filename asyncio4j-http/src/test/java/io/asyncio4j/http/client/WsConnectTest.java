package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsHandshakeException;
import io.asyncio4j.http.ws.WsMessage;
import io.asyncio4j.http.ws.WsOptions;
import java.net.URI;

/** ClientSession.wsConnect: aiohttp's session.ws_connect, with the session's settings applied. */
class WsConnectTest {

    /** /hdr answers with the handshake's headers as one text message, then echoes. */
    static Application app() {
        Application app = new Application();
        app.router().get("/hdr", req -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(req);
            ws.sendText("cookie=" + req.header("Cookie") + " ua=" + req.header("User-Agent")
                + " default=" + req.header("X-Default") + " own=" + req.header("X-Own"));
            for (WsMessage m : ws) {
                if (m instanceof WsMessage.Text t) {
                    ws.sendText(t.data());
                }
            }
            return ws;
        });
        app.router().get("/plain", req -> Response.text("not a websocket"));
        return app;
    }

    static AppRunner serve() throws Exception {
        AppRunner r = new AppRunner(app());
        r.setup();
        r.addTcpSite("127.0.0.1", 0);
        return r;
    }

    @HttpTest
    void aRelativeUrlResolvesAgainstTheBaseUrlAndCarriesTheSessionsHeadersAndCookies() throws Exception {
        try (AppRunner r = serve()) {
            String base = "http://127.0.0.1:" + r.sites().get(0).port();
            CookieJar jar = CookieJar.unsafe();
            jar.add(URI.create(base + "/"), Cookie.of("sid", "42").withPath("/"));
            ClientOptions options = ClientOptions.defaults().withBaseUrl(base)
                .withHeaders(Headers.of("X-Default", "d", "X-Own", "from-session"))
                .withUserAgent("agent/1").withCookieJar(jar);
            try (ClientSession session = ClientSession.open(options);
                    WebSocket ws = session.wsConnect("/hdr", WsOptions.defaults().withHeaders(Headers.of("X-Own", "mine")))) {
                assertEquals("cookie=sid=42 ua=agent/1 default=d own=mine", ws.receiveText());
                ws.sendText("ping?");
                assertEquals("ping?", ws.receiveText());
            }
        }
    }

    @HttpTest
    void anAbsoluteWsUrlIsUsedAsItIs() throws Exception {
        try (AppRunner r = serve();
                ClientSession session = ClientSession.open();
                WebSocket ws = session.wsConnect("ws://127.0.0.1:" + r.sites().get(0).port() + "/hdr")) {
            assertEquals("cookie=null ua=" + session.options().userAgent() + " default=null own=null", ws.receiveText());
        }
    }

    @HttpTest
    void aServerThatDoesNotUpgradeIsAHandshakeErrorWithItsStatus() throws Exception {
        try (AppRunner r = serve(); ClientSession session = ClientSession.open()) {
            WsHandshakeException e = assertThrows(WsHandshakeException.class,
                () -> session.wsConnect("http://127.0.0.1:" + r.sites().get(0).port() + "/plain"));
            assertEquals(200, e.status());
        }
    }

    @HttpTest
    void misuseIsRefusedBeforeAnyConnection() throws Exception {
        try (ClientSession session = ClientSession.open()) {
            assertThrows(InvalidUrlError.class, () -> session.wsConnect("/relative-without-base"));
            assertThrows(InvalidUrlError.class, () -> session.wsConnect("ftp://127.0.0.1/x"));
        }
        ClientSession closed = ClientSession.open();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.wsConnect("ws://127.0.0.1:1/x"));
    }
}
