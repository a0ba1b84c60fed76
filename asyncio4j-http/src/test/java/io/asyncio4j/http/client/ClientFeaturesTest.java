package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.TestTls;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.testing.AsyncioTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Redirects, timeouts, connection errors, cookies, decompression, TLS, hooks and the unclosed-session report. */
class ClientFeaturesTest {

    private static Application redirectApp(String otherOrigin) {
        Application app = new Application();
        app.router().any("/r/{code}", r -> {
            r.read();
            Response resp = new Response().setStatus(Integer.parseInt(r.matchInfo("code")));
            resp.headers().set("Location", "/target");
            return resp;
        });
        app.router().any("/target", r -> Response.json(Map.of("method", r.method().name(),
                "body", r.text(), "auth", r.headers().getOrDefault("Authorization", ""),
                "cookie", r.headers().getOrDefault("Cookie", ""))));
        app.router().get("/loop/a", r -> {
            throw HttpException.found("/loop/b");
        });
        app.router().get("/loop/b", r -> {
            throw HttpException.found("/loop/a");
        });
        app.router().get("/chain/{n}", r -> {
            int n = Integer.parseInt(r.matchInfo("n"));
            if (n == 0) {
                return Response.text("end");
            }
            throw HttpException.found("/chain/" + (n - 1));
        });
        app.router().get("/away", r -> {
            throw HttpException.found(otherOrigin + "/target");
        });
        app.router().get("/setcookie", r -> {
            Response resp = Response.text("set");
            resp.setCookie(Cookie.of("sid", "abc").withPath("/"));
            resp.setCookie(Cookie.of("scoped", "1").withPath("/target"));
            return resp;
        });
        return app;
    }

    @HttpTest
    void redirectsFollowTheRfcsMethodRulesAndKeepTheirHistory() throws Exception {
        try (Served s = Served.start(redirectApp("")); ClientSession session = ClientSession.open()) {
            for (int code : new int[] {301, 302, 303}) {
                try (ClientResponse r = session.post(s.url("/r/" + code), RequestBody.text("payload"))) {
                    Map<?, ?> j = r.json(Map.class);
                    assertEquals("GET", j.get("method"), code + " turns POST into GET");
                    assertEquals("", j.get("body"), code + " drops the body");
                    assertEquals(1, r.history().size());
                    assertEquals(code, r.history().get(0).status());
                    assertEquals(s.url("/target"), r.url().toString());
                }
            }
            for (int code : new int[] {307, 308}) {
                try (ClientResponse r = session.post(s.url("/r/" + code), RequestBody.text("payload"))) {
                    Map<?, ?> j = r.json(Map.class);
                    assertEquals("POST", j.get("method"), code + " keeps the method");
                    assertEquals("payload", j.get("body"), code + " keeps the body");
                }
            }
            try (ClientResponse r = session.put(s.url("/r/303"), RequestBody.text("x"))) {
                assertEquals("GET", r.json(Map.class).get("method"));
            }
            try (ClientResponse r = session.get(s.url("/r/302"), RequestOptions.defaults().withAllowRedirects(false))) {
                assertEquals(302, r.status());
                assertEquals("/target", r.header("Location"));
            }
            try (ClientResponse r = session.get(s.url("/chain/10"))) {
                assertEquals("end", r.text());
                assertEquals(10, r.history().size());
            }
            TooManyRedirectsError e = assertThrows(TooManyRedirectsError.class, () -> session.get(s.url("/chain/11")));
            assertTrue(e.getMessage().contains("more than 10 redirects"), e.getMessage());
            assertTrue(e.getMessage().contains("/chain/11 -> "), e.getMessage());
            TooManyRedirectsError loop = assertThrows(TooManyRedirectsError.class, () -> session.get(s.url("/loop/a")));
            assertTrue(loop.getMessage().contains("a redirect loop: " + s.url("/loop/a") + " -> " + s.url("/loop/b")
                    + " -> " + s.url("/loop/a")), loop.getMessage());
            assertThrows(ClientError.class, () -> session.request(HttpMethod.PUT, s.url("/r/307"),
                    RequestOptions.of(RequestBody.stream(List.of("x".getBytes(UTF_8)), null))),
                    "a streamed body cannot follow a 307");
            assertEquals(1, session.poolStats().created(), "redirects reuse the connection");
        }
    }

    @HttpTest
    void credentialsAndCookiesAreNotSentToAnotherOrigin() throws Exception {
        try (Served other = Served.start(redirectApp(""));
             Served s = Served.start(redirectApp("http://localhost:" + other.port));
             ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/away"), RequestOptions.defaults()
                    .withAuth(new BasicAuth("ada", "pw")).withHeaders("Cookie", "mine=1"))) {
                Map<?, ?> j = r.json(Map.class);
                assertEquals("", j.get("auth"));
                assertEquals("", j.get("cookie"));
                assertEquals(URI.create("http://localhost:" + other.port + "/target"), r.url());
            }
            try (ClientResponse r = session.get(s.url("/r/302"), RequestOptions.defaults()
                    .withAuth(new BasicAuth("ada", "pw")))) {
                assertTrue(((String) r.json(Map.class).get("auth")).startsWith("Basic "), "same origin keeps it");
            }
        }
    }

    @HttpTest
    void theCookieJarStoresAndSendsBackCookiesByPath() throws Exception {
        try (Served s = Served.start(redirectApp(""));
             ClientSession session = ClientSession.open(ClientOptions.defaults().withCookieJar(CookieJar.unsafe()))) {
            try (ClientResponse r = session.get(s.url("/setcookie"))) {
                assertEquals(2, r.cookies().size());
            }
            try (ClientResponse r = session.get(s.url("/target"))) {
                assertEquals("scoped=1; sid=abc", r.json(Map.class).get("cookie"), "longer paths first");
            }
            try (ClientResponse r = session.get(s.url("/chain/0"))) {
                r.read();
            }
            assertEquals(2, session.cookieJar().size());
        }
        try (Served s = Served.start(redirectApp("")); ClientSession session = ClientSession.open()) {
            session.get(s.url("/setcookie")).close();
            assertEquals(0, session.cookieJar().size(), "the default jar refuses cookies from IP addresses");
        }
    }

    @HttpTest
    void timeoutsSayWhichTimeoutPassed() throws Exception {
        Application app = new Application();
        app.router().get("/slowhead", r -> {
            Asyncio.sleep(Duration.ofMillis(500));
            return Response.text("late");
        });
        app.router().get("/slowbody", r -> {
            var s = new io.asyncio4j.http.server.StreamResponse();
            s.prepare(r);
            s.write("first");
            s.drain();
            Asyncio.sleep(Duration.ofMillis(500));
            s.write("second");
            s.writeEof();
            return s;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> session.get(s.url("/slowhead"),
                    RequestOptions.defaults().withTimeout(ClientTimeout.none().withSockRead(Duration.ofMillis(50)))));
            assertEquals(ClientTimeout.Kind.SOCK_READ, e.kind());
            assertTrue(e.getMessage().contains("sockRead timeout"), e.getMessage());
            e = assertThrows(ClientTimeoutError.class, () -> session.get(s.url("/slowhead"),
                    RequestOptions.defaults().withTimeout(ClientTimeout.none().withTotal(Duration.ofMillis(50)))));
            assertEquals(ClientTimeout.Kind.TOTAL, e.kind());
            try (ClientResponse r = session.get(s.url("/slowbody"), RequestOptions.defaults()
                    .withTimeout(ClientTimeout.none().withSockRead(Duration.ofMillis(100))))) {
                assertEquals("first", new String(r.readAny(), UTF_8));
                e = assertThrows(ClientTimeoutError.class, r::read);
                assertEquals(ClientTimeout.Kind.SOCK_READ, e.kind());
            }
            assertEquals(0, session.poolStats().connections(), "timed-out exchanges are discarded");
        }
    }

    @HttpTest
    void aRequestInsideATimeoutScopeIsBoundByIt() throws Exception {
        Application app = new Application();
        app.router().get("/slow", r -> {
            Asyncio.sleep(Duration.ofSeconds(5));
            return Response.text("late");
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            long t0 = System.nanoTime();
            assertThrows(io.asyncio4j.TimeoutError.class, () -> {
                try (var t = Asyncio.timeout(Duration.ofMillis(80))) {
                    session.get(s.url("/slow")).close();
                }
            });
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        }
    }

    @AsyncioTest
    void connectionFailuresAreTypedAndNameTheUrl() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        try (ClientSession session = ClientSession.open()) {
            String url = "http://127.0.0.1:" + port + "/x";
            ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> session.get(url));
            assertEquals("127.0.0.1", e.host());
            assertEquals(port, e.port());
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertInstanceOf(java.net.ConnectException.class, e.getCause());
            ClientConnectorDnsError d = assertThrows(ClientConnectorDnsError.class,
                    () -> session.get("http://no-such-host.invalid/"));
            assertEquals("no-such-host.invalid", d.host());
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] zlib(byte[] data, boolean raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new java.util.zip.Deflater(6, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    @HttpTest
    void gzipAndDeflateBodiesAreDecompressedAndCorruptOnesFail() throws Exception {
        byte[] text = "compress me ".repeat(10_000).getBytes(UTF_8);
        byte[] gz = gzip(text);
        byte[] twoMembers = new byte[gz.length * 2];
        System.arraycopy(gz, 0, twoMembers, 0, gz.length);
        System.arraycopy(gz, 0, twoMembers, gz.length, gz.length);
        byte[] corrupt = gz.clone();
        corrupt[corrupt.length - 6] ^= 0x55; // the CRC
        Application app = new Application();
        Map<String, byte[]> bodies = Map.of("gzip", gz, "deflate", zlib(text, false), "rawdeflate", zlib(text, true),
                "twomembers", twoMembers, "corrupt", corrupt, "truncated", java.util.Arrays.copyOf(gz, gz.length / 2));
        app.router().get("/{kind}", r -> {
            String k = r.matchInfo("kind");
            Response resp = Response.bytes(bodies.get(k), "text/plain");
            resp.headers().set("Content-Encoding", k.equals("deflate") || k.equals("rawdeflate") ? "deflate" : "gzip");
            resp.headers().set("X-Accept-Encoding", r.headers().getOrDefault("Accept-Encoding", ""));
            return resp;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            for (String k : List.of("gzip", "deflate", "rawdeflate")) {
                try (ClientResponse r = session.get(s.url("/" + k))) {
                    assertEquals("gzip, deflate, br, zstd", r.header("X-Accept-Encoding")); // both optional libraries are here
                    assertArrayEquals(text, r.read(), k);
                }
            }
            try (ClientResponse r = session.get(s.url("/twomembers"))) {
                assertEquals(text.length * 2, r.read().length);
            }
            for (String k : List.of("corrupt", "truncated")) {
                try (ClientResponse r = session.get(s.url("/" + k))) {
                    assertThrows(ClientPayloadError.class, r::read, k);
                }
            }
        }
        try (Served s = Served.start(app);
             ClientSession session = ClientSession.open(ClientOptions.defaults().withAutoDecompress(false))) {
            try (ClientResponse r = session.get(s.url("/gzip"))) {
                assertEquals("", r.header("X-Accept-Encoding"));
                assertArrayEquals(gz, r.read(), "left as it is when asked");
            }
        }
    }

    @HttpTest
    void tlsChecksCertificatesByDefaultAndOptsOutLoudly() throws Exception {
        TestTls tls = TestTls.get();
        Application app = new Application();
        app.router().get("/", r -> Response.text("secure " + r.scheme()));
        try (Served s = Served.start(app, ServerSettings.defaults().withAccessLog(false)
                .withShutdownTimeout(Duration.ofSeconds(2)), tls.serverContext())) {
            try (ClientSession session = ClientSession.open()) {
                ClientSslError e = assertThrows(ClientSslError.class, () -> session.get(s.url("/")));
                assertInstanceOf(javax.net.ssl.SSLException.class, e.getCause());
                try (ClientResponse r = session.get(s.url("/"), RequestOptions.defaults()
                        .withInsecureNoTlsVerification())) {
                    assertEquals("secure https", r.text());
                }
            }
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withSsl(tls.clientContext()))) {
                try (ClientResponse r = session.get("https://localhost:" + s.port + "/")) {
                    assertEquals("secure https", r.text(), "the certificate names localhost");
                }
                try (ClientResponse r = session.get(s.url("/"))) {
                    assertEquals("secure https", r.text(), "and 127.0.0.1");
                }
                assertEquals(2, session.poolStats().created(), "one connection per host name");
            }
        }
    }

    @HttpTest
    void eventHooksSeeRequestsAndConnections() throws Exception {
        List<String> seen = new ArrayList<>();
        ClientEvents events = new ClientEvents() {
            @Override
            public void requestStart(HttpMethod method, URI url, io.asyncio4j.http.Headers headers) {
                seen.add("start " + method + " " + url.getPath());
            }

            @Override
            public void requestEnd(HttpMethod method, URI url, int status) {
                seen.add("end " + status);
            }

            @Override
            public void connectionCreateEnd(URI url) {
                seen.add("created");
            }

            @Override
            public void connectionReused(URI url) {
                seen.add("reused");
            }

            @Override
            public void requestException(HttpMethod method, URI url, Throwable error) {
                seen.add("failed " + error.getClass().getSimpleName());
            }
        };
        try (Served s = Served.start(redirectApp(""));
             ClientSession session = ClientSession.open(ClientOptions.defaults().withEvents(events))) {
            session.get(s.url("/chain/1")).close();
            assertEquals(List.of("start GET /chain/1", "created", "end 302", "start GET /chain/0", "reused", "end 200"),
                    seen);
        }
    }

    @AsyncioTest
    void aSessionNeverClosedIsReported() throws Exception {
        List<ExceptionContext> reports = new ArrayList<>();
        var loop = Asyncio.getRunningLoop();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        openAndForget();
        for (int i = 0; i < 100 && reports.isEmpty(); i++) {
            System.gc();
            Asyncio.sleep(Duration.ofMillis(20));
        }
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).message().startsWith("Unclosed client session"), reports.get(0).message());
        assertNull(reports.get(0).exception(), "outside debug mode no traceback is kept");
        assertFalse(reports.get(0).message().isEmpty());
    }

    @Test
    void aSessionStillOpenWhenItsLoopClosesIsReportedWithWhereItWasOpenedAndItsConnectionIsClosed()
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> afterReply = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket c = server.accept()) {
                    c.setSoTimeout(10_000);
                    InputStream in = c.getInputStream();
                    byte[] head = new byte[4096];
                    int n = 0;
                    while (!new String(head, 0, n, UTF_8).contains("\r\n\r\n")) {
                        n += in.read(head, n, head.length - n);
                    }
                    c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(UTF_8));
                    afterReply.complete(in.read()); // -1 once the pool closes the kept-alive connection
                } catch (IOException e) {
                    afterReply.completeExceptionally(e);
                }
            });
            List<ExceptionContext> reports = new ArrayList<>();
            EventLoop loop = Asyncio.newEventLoop();
            loop.setDebug(true);
            loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
            ClientSession[] kept = new ClientSession[1];
            String body = loop.runUntilComplete(loop.createTask(() -> {
                try (ClientSession closed = ClientSession.open()) {
                    assertFalse(closed.isClosed());
                }
                kept[0] = ClientSession.open();
                try (ClientResponse r = kept[0].get("http://127.0.0.1:" + server.getLocalPort() + "/")) {
                    return r.text();
                }
            }));
            assertEquals("ok", body);
            assertTrue(reports.isEmpty(), reports.toString());
            loop.close();
            assertEquals(1, reports.size(), "the session closed in time is not reported: " + reports);
            ExceptionContext report = reports.get(0);
            assertEquals("Unclosed client session", report.message());
            assertEquals("the session was opened here", report.exception().getMessage());
            assertTrue(java.util.Arrays.stream(report.exception().getStackTrace()).anyMatch(
                    f -> f.getMethodName().contains("aSessionStillOpenWhenItsLoopCloses")), "debug mode keeps where");
            assertEquals(-1, afterReply.get(10, TimeUnit.SECONDS), "the pooled connection was closed");
            assertTrue(kept[0] != null);
        }
    }

    private static void openAndForget() {
        ClientSession.open();
    }
}
