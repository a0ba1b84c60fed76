package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.connect;
import static io.asyncio4j.http.server.HttpTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.internal.h1.HttpDate;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.http.testing.TestResponse;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** FileResponse and static routes: zero-copy bodies, validators, ranges, no way out of the root. */
class FilesTest {
    private Path dir;
    private Path root;
    private byte[] big;

    @BeforeEach
    void makeFiles() throws IOException {
        dir = Files.createTempDirectory("http-files");
        root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        Files.writeString(root.resolve("style.css"), "body{}");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/data.json"), "{\"a\":1}");
        Files.writeString(root.resolve("%2e%2e"), "a file with a strange name");
        big = new byte[5 * 1024 * 1024 + 123];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i ^ (i >> 9));
        }
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("inside.css"), root.resolve("style.css"));
        Files.setLastModifiedTime(root.resolve("style.css"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
    }

    @AfterEach
    void deleteFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Application staticApp(StaticOptions options) {
        Application app = new Application();
        app.router().addStatic("/static", root, options);
        app.router().get("/file", r -> new FileResponse(root.resolve("big.bin")));
        app.router().get("/nofile", r -> new FileResponse(root.resolve("missing.bin")));
        return app;
    }

    @HttpTest
    void aLargeFileIsSentWhole(TestClients clients) throws Exception {
        TestClient c = clients.start(staticApp(StaticOptions.defaults()));
        TestResponse r = c.get("/file");
        assertEquals(200, r.status());
        assertEquals(Integer.toString(big.length), r.header("Content-Length"));
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        assertArrayEquals(big, r.body());
        assertEquals(404, c.get("/nofile").status());
        TestResponse again = c.get("/static/big.bin");
        assertArrayEquals(big, again.body(), "the connection carried on after a zero-copy body");
    }

    @HttpTest
    void contentTypesValidatorsAndConditionalRequests(TestClients clients) throws Exception {
        TestClient c = clients.start(staticApp(StaticOptions.defaults()));
        TestResponse css = c.get("/static/style.css");
        assertEquals("text/css; charset=utf-8", css.header("Content-Type"));
        assertEquals("body{}", css.text());
        assertEquals("Tue, 02 Jan 2024 03:04:05 GMT", css.header("Last-Modified"));
        String etag = css.header("ETag");
        assertTrue(etag.matches("\"[0-9a-f]+-6\""), etag);
        assertEquals("text/html; charset=utf-8", c.get("/static/index.html").header("Content-Type"));
        assertEquals("application/json", c.get("/static/sub/data.json").header("Content-Type"));

        TestResponse notModified = c.request(HttpMethod.GET, "/static/style.css", Headers.of("If-None-Match", etag),
                null);
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.header("ETag"));
        assertEquals(304, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-None-Match", "\"other\", W/" + etag), null).status(), "weak comparison for If-None-Match");
        assertEquals(200, c.request(HttpMethod.GET, "/static/style.css", Headers.of("If-None-Match", "\"other\""),
                null).status());
        assertEquals(304, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT"), null).status());
        assertEquals(304, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-Modified-Since", "Tuesday, 02-Jan-24 03:04:05 GMT"), null).status(), "RFC 850 date");
        assertEquals(304, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-Modified-Since", "Tue Jan  2 03:04:05 2024"), null).status(), "asctime date");
        assertEquals(200, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT"), null).status());
        assertEquals(200, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-None-Match", "\"x\"", "If-Modified-Since", HttpDate.format(Instant.now())), null)
                .status(), "If-None-Match takes precedence over If-Modified-Since");
        assertEquals(412, c.request(HttpMethod.GET, "/static/style.css", Headers.of("If-Match", "\"nope\""), null)
                .status());
        assertEquals(200, c.request(HttpMethod.GET, "/static/style.css", Headers.of("If-Match", etag), null).status());
        assertEquals(412, c.request(HttpMethod.GET, "/static/style.css",
                Headers.of("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"), null).status());
        TestResponse head = c.head("/static/style.css");
        assertEquals("6", head.header("Content-Length"));
        assertEquals(0, head.body().length);
    }

    @HttpTest
    void byteRanges(TestClients clients) throws Exception {
        TestClient c = clients.start(staticApp(StaticOptions.defaults()));
        TestResponse part = c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=100-199"), null);
        assertEquals(206, part.status());
        assertEquals("bytes 100-199/" + big.length, part.header("Content-Range"));
        assertEquals("100", part.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(big, 100, 200), part.body());
        TestResponse suffix = c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=-10"), null);
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 10, big.length), suffix.body());
        TestResponse open = c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=" + (big.length - 5) + "-"),
                null);
        assertEquals(5, open.body().length);
        TestResponse clipped = c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=0-99999999999"), null);
        assertEquals(206, clipped.status());
        assertEquals(big.length, clipped.body().length);
        TestResponse beyond = c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=" + big.length + "-"),
                null);
        assertEquals(416, beyond.status());
        assertEquals("bytes */" + big.length, beyond.header("Content-Range"));
        assertEquals(200, c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=5-1"), null).status(),
                "an invalid range is ignored");
        assertEquals(200, c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=0-1,5-6"), null).status(),
                "several ranges: the whole file");
        assertEquals(200, c.request(HttpMethod.GET, "/file", Headers.of("Range", "lines=1-2"), null).status());
        String etag = c.head("/file").header("ETag");
        assertEquals(206, c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=0-0", "If-Range", etag), null)
                .status());
        assertEquals(200, c.request(HttpMethod.GET, "/file", Headers.of("Range", "bytes=0-0", "If-Range", "\"old\""),
                null).status(), "If-Range that does not match: the whole file");
    }

    @HttpTest
    void noWayOutOfTheRoot(TestClients clients) throws Exception {
        TestClient c = clients.start(staticApp(StaticOptions.defaults()));
        for (String path : new String[] {"/static/../secret.txt", "/static/%2e%2e/secret.txt",
            "/static/%2E%2E/secret.txt", "/static/..%2Fsecret.txt", "/static/sub/../../secret.txt",
            "/static/sub/%2e%2e/%2e%2e/secret.txt", "/static/.%2e/secret.txt", "/static//etc/passwd",
            "/static/%2Fetc%2Fpasswd", "/static/sub/..%5C..%5Csecret.txt", "/static/escape.txt",
            "/static/nothing-here", "/static/%00secret.txt"}) {
            Streams.Connection raw = connect(c.port());
            raw.writer().write(ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            String reply = readAll(raw, 3000);
            raw.close();
            assertTrue(reply.startsWith("HTTP/1.1 404"), path + " -> " + reply);
            assertTrue(!reply.contains("outside the root"), path);
        }
        assertEquals("a file with a strange name", c.get("/static/%252e%252e").text(), "decoded once only");
        assertEquals("body{}", c.get("/static/inside.css").text(), "a link that stays inside is served");
        assertEquals(403, c.get("/static/sub").status(), "no listing by default");
        assertEquals(403, c.get("/static/").status());
    }

    @HttpTest
    void followingSymlinksAndListingAreOptIn(TestClients clients) throws Exception {
        TestClient c = clients.start(staticApp(StaticOptions.defaults().withFollowSymlinks(true).withShowIndex(true)));
        assertEquals("outside the root", c.get("/static/escape.txt").text());
        TestResponse listing = c.get("/static/sub/");
        assertEquals(200, listing.status());
        assertTrue(listing.text().contains("<a href=\"/static/sub/data.json\">data.json</a>"), listing.text());
        assertEquals(404, c.get("/static/../secret.txt").status(), "dot segments stay refused");
    }

    @HttpTest
    void overTlsAFileIsReadInPiecesAndWritten(TestClients clients) throws Exception {
        try (AppRunner runner = new AppRunner(staticApp(StaticOptions.defaults()),
                ServerSettings.defaults().withAccessLog(false))) {
            runner.setup();
            Site tls = runner.addTlsSite("127.0.0.1", 0, TestTls.get().serverContext());
            TestClient c = TestClient.connectTls("localhost", tls.port(), TestTls.get().clientContext());
            TestResponse r = c.get("/file");
            assertEquals(Integer.toString(big.length), r.header("Content-Length"));
            assertArrayEquals(big, r.body(), "no zero-copy over TLS: read and written, the same bytes");
            TestResponse part = c.request(HttpMethod.GET, "/static/big.bin", Headers.of("Range", "bytes=-5"), null);
            assertArrayEquals(Arrays.copyOfRange(big, big.length - 5, big.length), part.body());
            c.close();
        }
    }

    @HttpTest
    void overTheTestClientsOwnConnectionAFileSurvivesCompression(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/css", r -> {
            FileResponse f = new FileResponse(root.resolve("big.bin"));
            f.enableCompression();
            return f;
        });
        TestClient c = clients.start(app);
        TestResponse r = c.request(HttpMethod.GET, "/css", Headers.of("Accept-Encoding", "gzip"), null);
        assertEquals("gzip", r.header("Content-Encoding"));
        assertNull(r.header("Content-Length"));
        assertArrayEquals(big, new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))
                .readAllBytes());
    }
}
