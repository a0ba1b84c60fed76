package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.connect;
import static io.asyncio4j.http.server.HttpTesting.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.StreamedResponse;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.http.testing.TestResponse;
import io.asyncio4j.stream.Streams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/** Responses: headers, cookies, framing, compression, streams, events, errors, middlewares. */
class ResponseTest {

    @HttpTest
    void cookiesWithAttributes(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/login", r -> {
            Response resp = Response.text("in");
            resp.setCookie(Cookie.of("session", "abc123").withHttpOnly(true).withSecure(true).withSameSite("Lax")
                    .withPath("/").withMaxAge(Duration.ofHours(1)));
            resp.setCookie("plain", "1");
            resp.delCookie("old", null);
            return resp;
        });
        TestClient c = clients.start(app);
        List<String> set = c.get("/login").headers().getAll("Set-Cookie");
        assertEquals(3, set.size());
        assertEquals("session=abc123; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax", set.get(0));
        assertEquals("plain=1", set.get(1));
        assertEquals("old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/", set.get(2));
    }

    @Test
    void headersAndCookiesRefuseWhatCouldSplitAResponse() {
        Headers h = new Headers();
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> h.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X:", "v"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("s", "a;b"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("s", "a b"));
        assertThrows(IllegalArgumentException.class, () -> Cookie.of("s", "v").withPath("/;x"));
        assertThrows(IllegalArgumentException.class, () -> new HttpStatus(200, "OK\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> HttpMethod.of("GE T"));
    }

    @HttpTest
    void compressionFollowsAcceptEncoding(TestClients clients) throws Exception {
        String text = "compressible ".repeat(2000);
        Application app = new Application();
        app.router().get("/z", r -> {
            Response resp = Response.text(text);
            resp.enableCompression();
            return resp;
        });
        app.router().get("/deflate", r -> {
            Response resp = Response.text(text);
            resp.enableCompression(ContentCoding.DEFLATE);
            return resp;
        });
        TestClient c = clients.start(app);
        TestResponse gz = c.request(HttpMethod.GET, "/z", Headers.of("Accept-Encoding", "gzip, deflate"), null);
        assertEquals("gzip", gz.header("Content-Encoding"));
        assertEquals("Accept-Encoding", gz.header("Vary"));
        assertTrue(gz.body().length < text.length() / 10, "compressed: " + gz.body().length);
        assertEquals(text, new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(), UTF_8));
        TestResponse df = c.request(HttpMethod.GET, "/z", Headers.of("Accept-Encoding", "gzip;q=0.5, deflate"), null);
        assertEquals("deflate", df.header("Content-Encoding"));
        assertEquals(text, new String(new InflaterInputStream(new ByteArrayInputStream(df.body())).readAllBytes(),
                UTF_8));
        TestResponse none = c.get("/z");
        assertNull(none.header("Content-Encoding"), "no Accept-Encoding: not compressed");
        assertEquals(text, none.text());
        TestResponse refused = c.request(HttpMethod.GET, "/z", Headers.of("Accept-Encoding", "gzip;q=0, br"), null);
        assertNull(refused.header("Content-Encoding"));
        TestResponse forced = c.request(HttpMethod.GET, "/deflate", Headers.of("Accept-Encoding", "gzip"), null);
        assertNull(forced.header("Content-Encoding"), "deflate asked, but the client takes only gzip");
    }

    @HttpTest
    void aStreamedBodyWithADeclaredLengthIsNotChunkedAndAShortOneClosesTheConnection(TestClients clients)
            throws Exception {
        Application app = new Application();
        app.router().get("/exact", r -> {
            StreamResponse s = new StreamResponse().setContentLength(6);
            s.prepare(r);
            s.write("abc");
            s.write("def");
            return s;
        });
        app.router().get("/header", r -> {
            StreamResponse s = new StreamResponse();
            s.headers().set("Content-Length", "4");
            s.prepare(r);
            s.write("four");
            return s;
        });
        app.router().get("/short", r -> {
            StreamResponse s = new StreamResponse().setContentLength(10);
            s.prepare(r);
            s.write("abc");
            return s; // ends with 3 of 10 bytes: the framing cannot be completed
        });
        app.router().get("/long", r -> {
            StreamResponse s = new StreamResponse().setContentLength(2);
            s.prepare(r);
            s.write("abc");
            return s;
        });
        TestClient c = clients.start(app);
        TestResponse exact = c.get("/exact");
        assertEquals("6", exact.header("Content-Length"));
        assertNull(exact.header("Transfer-Encoding"));
        assertEquals("abcdef", exact.text());
        TestResponse header = c.get("/header");
        assertEquals("4", header.header("Content-Length"), "a Content-Length set as a header frames the body");
        assertNull(header.header("Transfer-Encoding"));
        assertEquals("four", header.text());
        Streams.Connection raw = connect(c.port());
        raw.writer().write(ascii("GET /short HTTP/1.1\r\nHost: x\r\n\r\n"));
        String reply = readAll(raw, 3000);
        assertTrue(reply.endsWith("abc<EOF>"), "closed after the short body: " + reply);
        raw.close();
        Streams.Connection raw2 = connect(c.port());
        raw2.writer().write(ascii("GET /long HTTP/1.1\r\nHost: x\r\n\r\n"));
        String reply2 = readAll(raw2, 3000);
        assertTrue(reply2.contains("Content-Length: 2") && !reply2.contains("abc") && reply2.endsWith("<EOF>"), reply2);
        raw2.close();
    }

    @HttpTest
    void http10ClientsGetABodyEndedByTheCloseAndKeepAliveOnlyWhenAsked(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/s", r -> {
            StreamResponse s = new StreamResponse();
            s.prepare(r);
            s.write("streamed");
            return s;
        });
        app.router().get("/t", r -> Response.text("fixed"));
        TestClient c = clients.start(app);
        Streams.Connection raw = connect(c.port());
        raw.writer().write(ascii("GET /s HTTP/1.0\r\n\r\n"));
        String reply = readAll(raw, 3000);
        assertTrue(reply.startsWith("HTTP/1.1 200 OK"), reply);
        assertFalse(reply.contains("Transfer-Encoding"), "no chunked framing for HTTP/1.0: " + reply);
        assertTrue(reply.contains("Connection: close") && reply.endsWith("streamed<EOF>"), reply);
        raw.close();
        Streams.Connection ka = connect(c.port());
        ka.writer().write(ascii("GET /t HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /t HTTP/1.0\r\n\r\n"));
        String two = readAll(ka, 3000);
        assertEquals(List.of(200, 200), HttpTesting.statuses(two));
        assertTrue(two.contains("Connection: keep-alive"), two);
        assertTrue(two.endsWith("fixed<EOF>"), "the second, without keep-alive, closes: " + two);
        ka.close();
    }

    @HttpTest
    void serverSentEvents(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/events", r -> {
            EventSourceResponse sse = new EventSourceResponse().setPingInterval(Duration.ofMillis(30));
            sse.prepare(r);
            sse.send("hello");
            sse.send("two\nlines", "update", "7", Duration.ofSeconds(3));
            Asyncio.sleep(Duration.ofMillis(80)); // a ping or two meanwhile
            sse.send("last:" + EventSourceResponse.lastEventId(r));
            return sse;
        });
        TestClient c = clients.start(app);
        try (StreamedResponse s = c.stream(HttpMethod.GET, "/events", Headers.of("Last-Event-ID", "6"), null)) {
            assertEquals(200, s.status());
            assertEquals("text/event-stream; charset=utf-8", s.headers().get("Content-Type"));
            assertEquals("no-cache", s.headers().get("Cache-Control"));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] b; (b = s.readChunk()).length > 0; ) {
                all.writeBytes(b);
            }
            String events = all.toString(UTF_8);
            assertTrue(events.startsWith("data: hello\n\nid: 7\nevent: update\ndata: two\ndata: lines\nretry: 3000\n\n"),
                    events);
            assertTrue(events.contains(": ping\n\n"), events);
            assertTrue(events.endsWith("data: last:6\n\n"), events);
        }
    }

    @HttpTest
    void httpExceptionsBecomeTheirResponses(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/old", r -> {
            throw HttpException.movedPermanently("/new");
        });
        app.router().get("/teapot", r -> {
            throw new HttpException(HttpStatus.of(418), "short and stout").withHeader("X-Pot", "yes");
        });
        app.router().get("/conflict", r -> {
            throw HttpException.conflict("taken");
        });
        TestClient c = clients.start(app);
        TestResponse moved = c.get("/old");
        assertEquals(301, moved.status());
        assertEquals("/new", moved.header("Location"));
        TestResponse tea = c.get("/teapot");
        assertEquals(418, tea.status());
        assertEquals("short and stout", tea.text());
        assertEquals("yes", tea.header("X-Pot"));
        assertEquals("taken", c.get("/conflict").text());
        assertEquals(301, c.get("/old").status(), "the connection survived");
    }

    @HttpTest
    void middlewaresRunInOrderMayShortCircuitAndSeeHandlerExceptions(TestClients clients) throws Exception {
        List<String> calls = new ArrayList<>();
        StateKey<String> user = StateKey.of("user", String.class);
        Application app = new Application();
        app.use((req, next) -> {
            calls.add("outer>");
            try {
                StreamResponse r = next.handle(req);
                r.headers().set("X-Outer", "1");
                return r;
            } catch (HttpException e) {
                calls.add("outer caught " + e.status().code());
                return Response.text("wrapped " + e.status().code()).setStatus(e.status());
            } finally {
                calls.add("<outer");
            }
        });
        app.use((req, next) -> {
            calls.add("auth");
            if (req.header("Authorization") == null) {
                return Response.text("login first").setStatus(401); // short-circuit
            }
            req.set(user, req.header("Authorization"));
            return next.handle(req);
        });
        app.router().get("/me", r -> Response.text("me=" + r.get(user).orElseThrow()));
        app.router().get("/missing", r -> {
            throw HttpException.notFound();
        });
        TestClient c = clients.start(app);
        TestResponse anon = c.get("/me");
        assertEquals(401, anon.status());
        assertEquals("1", anon.header("X-Outer"));
        assertEquals(List.of("outer>", "auth", "<outer"), calls);
        calls.clear();
        TestResponse me = c.request(HttpMethod.GET, "/me", Headers.of("Authorization", "ada"), null);
        assertEquals("me=ada", me.text());
        calls.clear();
        TestResponse missing = c.request(HttpMethod.GET, "/missing", Headers.of("Authorization", "ada"), null);
        assertEquals("wrapped 404", missing.text());
        assertEquals(List.of("outer>", "auth", "outer caught 404", "<outer"), calls);
        calls.clear();
        assertEquals("wrapped 404", c.request(HttpMethod.GET, "/nowhere", Headers.of("Authorization", "a"), null)
                .text(), "an unmatched path goes through the middlewares too");
    }

    @HttpTest
    void aHandlerFailureIsLoggedWithTheRequestLineAndAPreparedResponseIsAborted(TestClients clients)
            throws Exception {
        List<LogRecord> logged = new ArrayList<>();
        try (LogCapture capture = new LogCapture("io.asyncio4j.http.server", logged)) {
            Application app = new Application();
            app.router().get("/fail", r -> {
                throw new ArithmeticException("divide by zero in the pricing code");
            });
            app.router().get("/midway", r -> {
                StreamResponse s = new StreamResponse();
                s.prepare(r);
                s.write("partial");
                throw new IllegalStateException("after the head");
            });
            TestClient c = clients.start(app);
            TestResponse fail = c.get("/fail");
            assertEquals(500, fail.status());
            assertFalse(fail.text().contains("pricing"), fail.text());
            assertEquals(1, logged.size());
            assertTrue(logged.get(0).getMessage().contains("GET /fail"), logged.get(0).getMessage());
            assertTrue(logged.get(0).getThrown() instanceof ArithmeticException);
            Streams.Connection raw = connect(c.port());
            raw.writer().write(ascii("GET /midway HTTP/1.1\r\nHost: x\r\n\r\n"));
            String reply = readAll(raw, 3000);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK") && reply.contains("partial")
                    && !reply.contains("0\r\n\r\n") && reply.endsWith("<EOF>"), "cut short, not ended: " + reply);
            raw.close();
        }
    }

    @HttpTest
    void theAccessLogHasAiohttpsFormat(TestClients clients) throws Exception {
        List<LogRecord> records = new ArrayList<>();
        try (LogCapture capture = new LogCapture("io.asyncio4j.http.access", records)) {
            Application app = new Application();
            app.router().get("/a", r -> Response.text("12345"));
            TestClient c = clients.start(app, ServerSettings.defaults().withAccessLog(true));
            c.request(HttpMethod.GET, "/a?x=1", Headers.of("Referer", "http://r/", "User-Agent", "test-agent"), null);
            c.get("/missing");
            List<String> lines = records.stream().map(LogRecord::getMessage).toList();
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("127\\.0\\.0\\.1 \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "
                    + "\"GET /a\\?x=1 HTTP/1\\.1\" 200 \\d+ \"http://r/\" \"test-agent\""), lines.get(0));
            assertTrue(lines.get(1).contains("\"GET /missing HTTP/1.1\" 404 "), lines.get(1));
        }
    }

    /** Collects what a java.util.logging logger publishes, and only that, while open. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<LogRecord> into;

        LogCapture(String name, List<LogRecord> into) {
            this.logger = Logger.getLogger(name);
            this.into = into;
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public void publish(LogRecord r) {
            into.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(true);
        }
    }

    @HttpTest
    void jsonOfRecordsListsAndMaps(TestClients clients) throws Exception {
        record Item(String name, int qty) {
        }
        Application app = new Application();
        app.router().get("/items", r -> Response.json(List.of(new Item("a", 1), new Item("b", 2))));
        app.router().post("/items", r -> {
            Item in = r.json(Item.class);
            return Response.json(Map.of("created", in.name(), "qty", in.qty())).setStatus(HttpStatus.CREATED);
        });
        TestClient c = clients.start(app);
        List<?> items = c.get("/items").json(List.class);
        assertEquals(2, items.size());
        assertEquals("a", ((Map<?, ?>) items.get(0)).get("name"));
        TestResponse created = c.postJson("/items", Map.of("name", "c", "qty", 3));
        assertEquals(201, created.status());
        assertEquals("c", created.json(Map.class).get("created"));
        assertEquals(400, c.post("/items", ascii("[1,2]"), "application/json").status());
    }
}
