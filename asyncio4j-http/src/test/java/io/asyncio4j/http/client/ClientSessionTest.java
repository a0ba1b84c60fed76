package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.BodyPart;
import io.asyncio4j.http.server.MultipartReader;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.StreamResponse;
import io.asyncio4j.http.testing.HttpTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests and responses end to end against our own server. */
class ClientSessionTest {

    static Application echoApp() {
        Application app = new Application();
        app.router().get("/hello", r -> Response.text("Hello, World!"));
        app.router().any("/echo", r -> {
            byte[] body = r.read();
            return Response.json(Map.of("method", r.method().name(), "query", r.queryString(),
                    "contentType", r.headers().getOrDefault("Content-Type", ""),
                    "length", r.headers().getOrDefault("Content-Length", ""),
                    "chunked", r.headers().getOrDefault("Transfer-Encoding", ""),
                    "body", new String(body, UTF_8)));
        });
        app.router().get("/headers", r -> Response.json(Map.of(
                "ua", r.headers().getOrDefault("User-Agent", ""),
                "accept", r.headers().getOrDefault("Accept", ""),
                "x", r.headers().getOrDefault("X-Test", ""),
                "auth", r.headers().getOrDefault("Authorization", ""),
                "host", r.headers().getOrDefault("Host", ""))));
        app.router().get("/lines", r -> {
            StreamResponse s = new StreamResponse();
            s.setContentType("text/plain");
            s.prepare(r);
            for (int i = 0; i < 5; i++) {
                s.write("line " + i + "\n");
                s.drain();
                Asyncio.sleep(java.time.Duration.ofMillis(2));
            }
            s.writeEof();
            return s;
        });
        app.router().get("/big", r -> Response.bytes(new byte[3 * 1024 * 1024], "application/octet-stream"));
        app.router().get("/status/{code}", r -> new Response().setStatus(Integer.parseInt(r.matchInfo("code")))
                .setText("status " + r.matchInfo("code")));
        app.router().get("/latin1", r -> Response.bytes("caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "text/plain; charset=iso-8859-1"));
        return app;
    }

    @HttpTest
    void getReadsTheBodyAndTheNextRequestReusesTheConnection() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/hello"))) {
                assertEquals(200, r.status());
                assertEquals("OK", r.reason());
                assertTrue(r.ok());
                assertEquals("Hello, World!", r.text());
                assertEquals(13, r.contentLength());
                assertEquals(s.url("/hello"), r.url().toString());
                assertTrue(r.history().isEmpty());
            }
            try (ClientResponse r = session.get(s.url("/hello"))) {
                assertEquals("Hello, World!", r.text());
            }
            ClientSession.PoolStats st = session.poolStats();
            assertEquals(1, st.created());
            assertEquals(1, st.reused());
            assertEquals(1, st.idle());
            assertEquals(1, s.runner.connectionCount(), "one connection served both requests");
        }
    }

    @HttpTest
    void bodiesOfEveryKindArriveWithTheirFraming() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            Map<?, ?> j;
            try (ClientResponse r = session.post(s.url("/echo"), RequestBody.json(Map.of("a", 1)))) {
                j = r.json(Map.class);
            }
            assertEquals("POST", j.get("method"));
            assertEquals("application/json", j.get("contentType"));
            assertEquals("{\"a\":1}", j.get("body"));
            assertEquals("7", j.get("length"));
            try (ClientResponse r = session.put(s.url("/echo"), RequestBody.form("name", "Ada L", "x", "a&b=c\u00e9"))) {
                j = r.json(Map.class);
            }
            assertEquals("PUT", j.get("method"));
            assertEquals("application/x-www-form-urlencoded", j.get("contentType"));
            assertEquals("name=Ada+L&x=a%26b%3Dc%C3%A9", j.get("body"));
            try (ClientResponse r = session.patch(s.url("/echo"), RequestBody.text("t\u00e9xt"))) {
                j = r.json(Map.class);
            }
            assertEquals("text/plain; charset=utf-8", j.get("contentType"));
            assertEquals("t\u00e9xt", j.get("body"));
            try (ClientResponse r = session.post(s.url("/echo"), RequestBody.stream(
                    List.of("one,".getBytes(UTF_8), new byte[0], "two".getBytes(UTF_8)), "text/csv"))) {
                j = r.json(Map.class);
            }
            assertEquals("chunked", j.get("chunked"));
            assertEquals("one,two", j.get("body"));
            try (ClientResponse r = session.post(s.url("/echo"), RequestBody.inputStream(
                    new ByteArrayInputStream("from a stream".getBytes(UTF_8)), null))) {
                j = r.json(Map.class);
            }
            assertEquals("from a stream", j.get("body"));
            Path f = Files.createTempFile("client", ".txt");
            try {
                Files.writeString(f, "x".repeat(200_000));
                try (ClientResponse r = session.post(s.url("/echo"), RequestBody.file(f, null))) {
                    j = r.json(Map.class);
                }
                assertEquals("200000", j.get("length"));
                assertEquals("text/plain; charset=utf-8", j.get("contentType"));
                assertEquals(200_000, ((String) j.get("body")).length());
            } finally {
                Files.delete(f);
            }
            try (ClientResponse r = session.post(s.url("/echo"), RequestOptions.defaults())) {
                j = r.json(Map.class);
            }
            assertEquals("0", j.get("length"), "a POST without a body says Content-Length: 0");
            assertEquals(1, session.poolStats().created(), "every one of them on the same connection");
        }
    }

    @HttpTest
    void queryParametersArePercentEncodedAndAppended() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/echo?x=1"), RequestOptions.defaults()
                    .withParams(Params.of("q", "async io", "sym", "a&b=c/d?", "u", "\u00e9\u20ac")))) {
                assertEquals("x=1&q=async%20io&sym=a%26b%3Dc%2Fd%3F&u=%C3%A9%E2%82%AC", r.json(Map.class).get("query"));
            }
            try (ClientResponse r = session.get(s.url("/echo?name=a b"))) {
                assertEquals("name=a%20b", r.json(Map.class).get("query"), "unsafe characters of a URL are escaped");
            }
            try (ClientResponse r = session.get(s.url("/echo?k=%41%zz"))) {
                assertEquals("k=%41%25zz", r.json(Map.class).get("query"), "valid escapes are kept, a bare % is encoded");
            }
        }
    }

    @HttpTest
    void headersMergeSessionDefaultsRequestFieldsAndAuth() throws Exception {
        try (Served s = Served.start(echoApp());
             ClientSession session = ClientSession.open(ClientOptions.defaults().withBaseUrl(s.base)
                     .withHeaders(Headers.of("X-Test", "session")).withUserAgent("ua/1"))) {
            Map<?, ?> j;
            try (ClientResponse r = session.get("/headers")) {
                j = r.json(Map.class);
            }
            assertEquals("ua/1", j.get("ua"));
            assertEquals("*/*", j.get("accept"));
            assertEquals("session", j.get("x"));
            assertEquals("127.0.0.1:" + s.port, j.get("host"));
            try (ClientResponse r = session.get("/headers", RequestOptions.defaults().withHeaders("X-Test", "mine")
                    .withAuth(new BasicAuth("ada", "s3cret")))) {
                j = r.json(Map.class);
            }
            assertEquals("mine", j.get("x"));
            assertEquals("Basic YWRhOnMzY3JldA==", j.get("auth"));
            try (ClientResponse r = session.get("http://ada:s3cret@127.0.0.1:" + s.port + "/headers")) {
                assertEquals("Basic YWRhOnMzY3JldA==", r.json(Map.class).get("auth"), "credentials in the URL");
            }
        }
    }

    @HttpTest
    void theDefaultUserAgentNamesTheModuleAndTheVersionTheBuildGaveIt() throws Exception {
        try (Served s = Served.start(echoApp());
             ClientSession session = ClientSession.open(ClientOptions.defaults().withBaseUrl(s.base))) {
            Map<?, ?> j;
            try (ClientResponse r = session.get("/headers")) {
                j = r.json(Map.class);
            }
            assertEquals(ClientOptions.DEFAULT_USER_AGENT, j.get("ua"));
            assertTrue(ClientOptions.DEFAULT_USER_AGENT.matches("asyncio4j-http/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
                    ClientOptions.DEFAULT_USER_AGENT);
        }
    }

    @HttpTest
    void contentStreamsByChunkAndByLine() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/lines"))) {
                List<String> lines = new ArrayList<>();
                for (byte[] line : r.content()) {
                    lines.add(new String(line, UTF_8));
                }
                assertEquals(List.of("line 0\n", "line 1\n", "line 2\n", "line 3\n", "line 4\n"), lines);
                assertTrue(r.content().atEof());
            }
            try (ClientResponse r = session.get(s.url("/big"))) {
                long total = 0;
                int pieces = 0;
                for (byte[] b; (b = r.content().read(64 * 1024)).length > 0; ) {
                    assertTrue(b.length <= 64 * 1024);
                    total += b.length;
                    pieces++;
                }
                assertEquals(3 * 1024 * 1024, total);
                assertTrue(pieces >= 48, "read piece by piece: " + pieces);
            }
            assertEquals(1, session.poolStats().created(), "both bodies were read to the end: the connection is reused");
            try (ClientResponse r = session.get(s.url("/lines"))) {
                assertArrayEquals("line 0\n".getBytes(UTF_8), r.content().readExactly(7));
                assertEquals("line 1\nline 2\nline 3\nline 4\n", new String(r.read(), UTF_8));
            }
        }
    }

    @HttpTest
    void textUsesTheCharsetOfTheContentTypeElseUtf8() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/latin1"))) {
                assertEquals("caf\u00e9", r.text());
                assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, r.read(), "read() after text() is the same body");
            }
        }
    }

    @HttpTest
    void raiseForStatusThrowsWithTheStatusAndUrlAndReleasesTheConnection() throws Exception {
        try (Served s = Served.start(echoApp());
             ClientSession session = ClientSession.open(ClientOptions.defaults().withRaiseForStatus(true))) {
            ClientResponseError e = assertThrows(ClientResponseError.class, () -> session.get(s.url("/status/404")));
            assertEquals(404, e.status());
            assertEquals(s.url("/status/404"), e.url().toString());
            assertTrue(e.getMessage().contains("404"), e.getMessage());
            try (ClientResponse r = session.get(s.url("/status/503"), RequestOptions.defaults()
                    .withRaiseForStatus(false))) {
                assertEquals(503, r.status());
                assertFalse(r.ok());
                assertEquals("status 503", r.text());
                assertThrows(ClientResponseError.class, r::raiseForStatus);
            }
            assertEquals(1, session.poolStats().created(), "the error's connection was kept: its body was buffered");
        }
    }

    @HttpTest
    void headAndNoContentResponsesHaveNoBody() throws Exception {
        try (Served s = Served.start(echoApp()); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.head(s.url("/hello"))) {
                assertEquals(200, r.status());
                assertEquals("13", r.header("Content-Length"));
                assertEquals(0, r.read().length);
            }
            try (ClientResponse r = session.get(s.url("/status/204"))) {
                assertEquals(204, r.status());
                assertEquals(0, r.read().length);
            }
            try (ClientResponse r = session.get(s.url("/hello"))) {
                assertEquals("Hello, World!", r.text());
            }
            assertEquals(1, session.poolStats().created());
        }
    }

    @HttpTest
    void multipartUploadsFieldsAndStreamsFiles() throws Exception {
        Application app = new Application();
        app.router().post("/upload", r -> {
            MultipartReader mr = r.multipart();
            StringBuilder sb = new StringBuilder();
            for (BodyPart p; (p = mr.next()) != null; ) {
                byte[] b = p.read();
                sb.append(p.name().orElse(null)).append('|').append(p.filename().orElse(null)).append('|').append(p.contentType()).append('|')
                        .append(b.length).append('|').append(b.length > 0 ? b[b.length - 1] : -1).append('\n');
            }
            return Response.text(sb.toString());
        });
        Path f = Files.createTempFile("upload", ".bin");
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            byte[] data = new byte[300_000];
            data[data.length - 1] = 7;
            Files.write(f, data);
            RequestBody form = Multipart.formData().field("title", "h\u00e9").bytes("raw", new byte[] {1, 2, 3}, "r.bin", null)
                    .file("doc", f, "application/x-test");
            try (ClientResponse r = session.post(s.url("/upload"), form)) {
                String fn = f.getFileName().toString();
                assertEquals("title|null|text/plain|3|-87\nraw|r.bin|application/octet-stream|3|3\n"
                        + "doc|" + fn + "|application/x-test|300000|7\n", r.text());
            }
        } finally {
            Files.delete(f);
        }
    }

    @HttpTest
    void methodsAndUrlsAreValidated() {
        try (ClientSession session = ClientSession.open()) {
            assertThrows(InvalidUrlError.class, () -> session.get("/relative"));
            assertThrows(InvalidUrlError.class, () -> session.get("ftp://example.com/"));
            assertThrows(InvalidUrlError.class, () -> session.get("http:///nohost"));
        }
        ClientSession closed = ClientSession.open();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.get("http://127.0.0.1:1/"));
        assertNull(null);
        assertEquals(HttpMethod.GET, HttpMethod.of("GET"));
    }
}
