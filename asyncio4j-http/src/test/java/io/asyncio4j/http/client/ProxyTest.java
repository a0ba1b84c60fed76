package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Timeout;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.TestTlsAccess;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP proxies, as aiohttp's {@code proxy=}, {@code proxy_auth=}, {@code proxy_headers=} and
 * {@code trust_env=}: plain requests in absolute form, https and wss through a CONNECT tunnel with
 * TLS to the origin, credentials, refusals and an unreachable proxy as typed errors, connections
 * pooled by proxy (plain) and by proxy and origin (tunnels). Against Debian's tinyproxy where a
 * real proxy matters, and a scripted one ({@link RawServer}) to see the exact bytes and to misbehave.
 */
class ProxyTest {

    /** /echo says how the request arrived; /ws echoes text messages. */
    private static Application app() {
        Application app = new Application();
        app.router().get("/echo", r -> Response.text("via=" + r.header("Via") + " host=" + r.header("Host")
                + " query=" + r.query("q").orElse("") + " scheme=" + r.scheme()));
        app.router().get("/ws", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            for (WsMessage m : ws) {
                if (m instanceof WsMessage.Text t) {
                    ws.sendText("echo " + t.data());
                }
            }
            return ws;
        });
        return app;
    }

    private static Served tls() throws Exception {
        return Served.start(app(), ServerSettings.defaults().withAccessLog(false)
                .withShutdownTimeout(Duration.ofSeconds(2)), TestTlsAccess.serverContext());
    }

    /** {@return a field of a raw request head, or null} */
    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ through tinyproxy

    @HttpTest
    void aPlainRequestGoesToTheProxyInAbsoluteFormAndTheProxyForwardsIt() throws Exception {
        try (Served s = Served.start(app()); TinyProxy proxy = TinyProxy.start(null);
             ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy.url()))) {
            try (ClientResponse r = session.get(s.url("/echo"), RequestOptions.defaults()
                    .withParams(io.asyncio4j.http.Params.of("q", "a b")))) {
                assertEquals(200, r.status());
                String body = r.text();
                assertTrue(body.contains("via=1.1 " + TinyProxy.VIA), body);
                assertTrue(body.contains("host=127.0.0.1:" + s.port), body);
                assertTrue(body.contains("query=a b"), body);
            }
            assertTrue(proxy.log().contains("GET http://127.0.0.1:" + s.port + "/echo?q=a%20b HTTP/1.1"),
                    proxy.log());
        }
    }

    @HttpTest
    void anHttpsRequestGoesThroughAConnectTunnelWithTlsCheckedAgainstTheOrigin() throws Exception {
        try (Served s = tls(); TinyProxy proxy = TinyProxy.start(null, s.port)) {
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy.url())
                    .withSsl(TestTlsAccess.clientContext()))) {
                for (int i = 0; i < 2; i++) {
                    try (ClientResponse r = session.get("https://localhost:" + s.port + "/echo?q=" + i)) {
                        assertEquals("via=null host=localhost:" + s.port + " query=" + i + " scheme=https", r.text(),
                                "the proxy sees nothing inside the tunnel");
                    }
                }
                assertEquals(1, session.poolStats().created(), "the tunnel is kept alive and reused");
                assertEquals(1, session.poolStats().reused());
                try (ClientResponse r = session.get("https://127.0.0.1:" + s.port + "/echo")) {
                    assertEquals(200, r.status());
                }
                assertEquals(2, session.poolStats().created(), "a tunnel per origin");
                assertTrue(proxy.log().contains("CONNECT localhost:" + s.port), proxy.log());
            }
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy.url()))) {
                ClientSslError e = assertThrows(ClientSslError.class,
                        () -> session.get("https://localhost:" + s.port + "/echo"));
                assertEquals("localhost", e.host(), "the origin's certificate was checked, not the proxy's");
                assertEquals(s.port, e.port());
                try (ClientResponse r = session.get("https://localhost:" + s.port + "/echo",
                        RequestOptions.defaults().withInsecureNoTlsVerification())) {
                    assertEquals(200, r.status());
                }
            }
        }
    }

    @HttpTest
    void proxyCredentialsAreSentAndARefusedTunnelIsAClientHttpProxyErrorWithTheStatus() throws Exception {
        try (Served plain = Served.start(app()); Served s = tls();
             TinyProxy proxy = TinyProxy.start("user s3cret", s.port)) {
            String https = "https://localhost:" + s.port + "/echo";
            ClientOptions base = ClientOptions.defaults().withSsl(TestTlsAccess.clientContext());
            try (ClientSession session = ClientSession.open(base.withProxy(proxy.url()))) {
                ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class, () -> session.get(https));
                assertEquals(407, e.status());
                assertInstanceOf(ClientResponseError.class, e);
                assertEquals(URI.create(proxy.url()), e.proxy());
                assertEquals(URI.create(https), e.url());
                assertTrue(e.getMessage().contains("did not open a tunnel to localhost:" + s.port), e.getMessage());
                try (ClientResponse r = session.get(plain.url("/echo"))) {
                    assertEquals(407, r.status(), "a plain request has no tunnel: the proxy's 407 is its response");
                }
                try (ClientResponse r = session.get(https, RequestOptions.defaults()
                        .withProxyAuth(new BasicAuth("user", "s3cret")))) {
                    assertEquals(200, r.status(), "a request's own credentials");
                }
            }
            try (ClientSession session = ClientSession.open(base.withProxy(proxy.url())
                    .withProxyAuth(new BasicAuth("user", "wrong")))) {
                // tinyproxy answers wrong credentials with 401 (missing ones with 407): the error has its status
                int status = assertThrows(ClientHttpProxyError.class, () -> session.get(https)).status();
                assertTrue(status == 401 || status == 407, "refused: " + status);
            }
            String withCredentials = "http://user:s3cret@127.0.0.1:" + proxy.port;
            try (ClientSession session = ClientSession.open(base.withProxy(withCredentials))) {
                try (ClientResponse r = session.get(https)) {
                    assertEquals(200, r.status(), "credentials in the proxy's URL");
                }
                try (ClientResponse r = session.get(plain.url("/echo"))) {
                    assertTrue(r.text().contains("via=1.1 " + TinyProxy.VIA));
                }
            }
        }
    }

    @HttpTest
    void aTunnelToAPortTheProxyDoesNotAllowIsRefused() throws Exception {
        try (Served s = tls(); TinyProxy proxy = TinyProxy.start(null);
             ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy.url())
                     .withSsl(TestTlsAccess.clientContext()))) {
            ClientHttpProxyError e = assertThrows(ClientHttpProxyError.class,
                    () -> session.get("https://localhost:" + s.port + "/echo"));
            assertEquals(403, e.status());
            assertEquals(0, session.poolStats().connections(), "the refused connection is closed");
        }
    }

    @HttpTest
    void aWebSocketGoesThroughTheSessionsProxyInATunnel() throws Exception {
        try (Served s = tls(); TinyProxy proxy = TinyProxy.start(null, s.port);
             ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy.url())
                     .withSsl(TestTlsAccess.clientContext()));
             WebSocket ws = session.wsConnect("wss://localhost:" + s.port + "/ws")) {
            ws.sendText("through");
            assertEquals("echo through", ws.receiveText());
            assertTrue(proxy.log().contains("CONNECT localhost:" + s.port), proxy.log());
        }
    }

    @HttpTest
    void aProxyThatRefusesTheConnectionIsAClientProxyConnectionErrorNamingIt() throws Exception {
        int port = closedPort();
        String proxy = "http://127.0.0.1:" + port;
        try (ClientSession session = ClientSession.open(ClientOptions.defaults().withProxy(proxy))) {
            for (String url : new String[] {"http://origin.test/x", "https://origin.test/x"}) {
                ClientProxyConnectionError e = assertThrows(ClientProxyConnectionError.class, () -> session.get(url));
                assertInstanceOf(ClientConnectorError.class, e);
                assertEquals("127.0.0.1", e.host());
                assertEquals(port, e.port());
                assertEquals(URI.create(proxy), e.proxy());
                assertTrue(e.getMessage().contains("cannot connect to the proxy " + proxy), e.getMessage());
                assertTrue(e.getMessage().contains(url), e.getMessage());
                assertInstanceOf(java.net.ConnectException.class, e.getCause());
            }
            assertThrows(ClientProxyConnectionError.class, () -> session.wsConnect("ws://origin.test/ws"),
                    "a WebSocket's way through the proxy fails the same way");
        }
    }

    // ------------------------------------------------------------------ through a scripted proxy

    @HttpTest
    void plainRequestsToEveryOriginShareTheProxysConnectionAndCarryItsCredentialsAndFields() throws Exception {
        try (RawServer fake = RawServer.start((r, w) -> RawServer.ok(w, r.line() + "|" + field(r.head(), "Host")
                + "|" + field(r.head(), "Proxy-Authorization") + "|" + field(r.head(), "X-Proxy-Tag")));
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withProxy("http://127.0.0.1:" + fake.port())
                     .withProxyAuth(new BasicAuth("ann", "pw"))
                     .withProxyHeaders(Headers.of("X-Proxy-Tag", "from-session")))) {
            String auth = new BasicAuth("ann", "pw").encode();
            try (ClientResponse r = session.get("http://a.test/x?y=1#fragment")) {
                assertEquals("GET http://a.test/x?y=1 HTTP/1.1|a.test|" + auth + "|from-session", r.text());
            }
            try (ClientResponse r = session.get("http://user:pw@b.test:8080/z", RequestOptions.defaults()
                    .withProxyHeaders(Headers.of("X-Proxy-Tag", "from-request")))) {
                assertEquals("GET http://b.test:8080/z HTTP/1.1|b.test:8080|" + auth + "|from-request", r.text(),
                        "no credentials in the target, a request's proxy fields over the session's");
            }
            assertEquals(1, fake.connections, "one connection to the proxy carried both origins");
            assertEquals(1, session.poolStats().created());
            assertEquals(1, session.poolStats().reused());
        }
    }

    @HttpTest
    void aRequestsProxyWinsOverTheSessionsAndOriginsAreNotResolvedLocally() throws Exception {
        try (RawServer sessions = RawServer.start((r, w) -> RawServer.ok(w, "session's"));
             RawServer own = RawServer.start((r, w) -> RawServer.ok(w, "request's"));
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withProxy("http://127.0.0.1:" + sessions.port()))) {
            try (ClientResponse r = session.get("http://no-such-host.invalid/")) {
                assertEquals("session's", r.text(), "the proxy resolves the origin, not the client");
            }
            try (ClientResponse r = session.get("http://no-such-host.invalid/", RequestOptions.defaults()
                    .withProxy("http://127.0.0.1:" + own.port()))) {
                assertEquals("request's", r.text());
            }
        }
    }

    @HttpTest
    void aConnectAnsweredWithAnErrorFailsAtOnceWithoutWaitingForItsBody() throws Exception {
        try (RawServer fake = RawServer.start((r, w) -> {
            w.write(RawServer.ascii("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 1000\r\n\r\nthe rest never comes"));
            return true; // and the connection stays open
        });
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withProxy("http://u:p@127.0.0.1:" + fake.port())
                     .withProxyHeaders(Headers.of("X-Proxy-Tag", "t")))) {
            ClientHttpProxyError e;
            try (Timeout _ = Asyncio.timeout(Duration.ofSeconds(5))) {
                e = assertThrows(ClientHttpProxyError.class, () -> session.get("https://origin.test:8443/x"));
            }
            assertEquals(502, e.status());
            RawServer.Req connect = fake.requests.get(0);
            assertEquals("CONNECT origin.test:8443 HTTP/1.1", connect.line());
            assertEquals("origin.test:8443", field(connect.head(), "Host"));
            assertEquals(new BasicAuth("u", "p").encode(), field(connect.head(), "Proxy-Authorization"));
            assertEquals("t", field(connect.head(), "X-Proxy-Tag"));
            assertNull(field(connect.head(), "User-Agent"), "the CONNECT carries the proxy's fields only");
            assertEquals(0, session.poolStats().connections());
        }
    }

    @HttpTest
    void aProxyThatClosesInsteadOfAnsweringConnectIsAClientProxyConnectionError() throws Exception {
        try (RawServer fake = RawServer.start((r, w) -> false);
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withProxy("http://127.0.0.1:" + fake.port()))) {
            ClientProxyConnectionError e = assertThrows(ClientProxyConnectionError.class,
                    () -> session.get("https://origin.test/"));
            assertTrue(e.getMessage().contains("closed the connection instead of answering CONNECT origin.test:443"),
                    e.getMessage());
        }
    }

    @HttpTest
    void aSlowConnectAnswerIsASockConnectTimeout() throws Exception {
        // the proxy reads the CONNECT and never answers
        try (RawServer fake = RawServer.start((r, w) -> true);
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withProxy("http://127.0.0.1:" + fake.port()))) {
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> session.get("https://origin.test/",
                    RequestOptions.defaults().withTimeout(ClientTimeout.none().withSockConnect(Duration.ofMillis(100)))));
            assertEquals(ClientTimeout.Kind.SOCK_CONNECT, e.kind());
            assertTrue(e.getMessage().contains("to answer CONNECT origin.test:443"), e.getMessage());
            e = assertThrows(ClientTimeoutError.class, () -> session.get("https://origin.test/",
                    RequestOptions.defaults().withTimeout(ClientTimeout.none().withConnect(Duration.ofMillis(100)))));
            assertEquals(ClientTimeout.Kind.CONNECT, e.kind());
        }
    }

    // ------------------------------------------------------------------ the environment (trustEnv)

    @HttpTest
    void withTrustEnvNoProxyHostsGoDirectlyAndTheRestThroughTheEnvironmentsProxy() throws Exception {
        try (Served s = Served.start(app());
             RawServer fake = RawServer.start((r, w) -> RawServer.ok(w, "proxied " + r.line()))) {
            Map<String, String> env = Map.of("HTTP_PROXY", "127.0.0.1:" + fake.port(), "no_proxy", "localhost");
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withTrustEnv(true), env, null)) {
                try (ClientResponse r = session.get("http://localhost:" + s.port + "/echo")) {
                    assertTrue(r.text().startsWith("via=null host=localhost"), "NO_PROXY: directly");
                }
                try (ClientResponse r = session.get(s.url("/echo"))) {
                    assertEquals("proxied GET " + s.url("/echo") + " HTTP/1.1", r.text());
                }
                try (ClientResponse r = session.get(s.url("/echo"), RequestOptions.defaults()
                        .withProxy("http://127.0.0.1:" + fake.port()))) {
                    assertTrue(r.text().startsWith("proxied"));
                }
            }
            try (ClientSession session = ClientSession.open(ClientOptions.defaults(), env, null)) {
                try (ClientResponse r = session.get(s.url("/echo"))) {
                    assertTrue(r.text().startsWith("via=null"), "without trustEnv the environment is not read");
                }
            }
            Map<String, String> star = Map.of("http_proxy", "http://127.0.0.1:" + fake.port(), "NO_PROXY", "*");
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withTrustEnv(true), star, null)) {
                try (ClientResponse r = session.get(s.url("/echo"))) {
                    assertTrue(r.text().startsWith("via=null"), "NO_PROXY=*");
                }
            }
            assertEquals(2, fake.requests.size());
            assertFalse(fake.requests.get(0).head().toLowerCase(Locale.ROOT).contains("proxy-authorization"));
        }
    }
}
