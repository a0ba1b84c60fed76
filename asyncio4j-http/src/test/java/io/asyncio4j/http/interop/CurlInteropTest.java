package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** curl against the server: keep-alive, chunked upload, 100-continue, HEAD, ranges, compression, TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurlInteropTest {
    private static Path dir;
    private static Path work;
    private static BackgroundServer server;
    private static String curl;

    @BeforeAll
    static void start() throws Exception {
        curl = Tools.require("curl", "curl");
        dir = InteropApp.staticDir();
        work = Files.createTempDirectory("curl");
        server = BackgroundServer.start(InteropApp.create(dir));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        InteropApp.delete(dir);
        InteropApp.delete(work);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void keepAliveReusesTheConnection() throws Exception {
        Tools.Run r = Tools.run(30, curl, "-sv", url("/"), url("/json"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("Hello, World!"), r.out());
        assertTrue(r.out().contains("\"hello\":\"world\""), r.out());
        assertTrue(r.out().contains("Re-using existing connection"), "curl kept the connection: " + r.out());
    }

    @Test
    void chunkedUploadIsReadWhole() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        Arrays.fill(body, (byte) 'c');
        Path f = work.resolve("up.bin");
        Files.write(f, body);
        Tools.Run r = Tools.run(30, curl, "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + f,
                url("/echo"));
        assertEquals("len=" + body.length + " sha=" + InteropApp.sha256(body) + " chunked=true", r.out());
    }

    @Test
    void expectContinueIsHonoured() throws Exception {
        byte[] body = new byte[200_000];
        Arrays.fill(body, (byte) 'e');
        Path f = work.resolve("expect.bin");
        Files.write(f, body);
        Tools.Run r = Tools.run(30, curl, "-sv", "-H", "Expect: 100-continue", "--data-binary", "@" + f,
                url("/echo"));
        assertTrue(r.out().contains("> Expect: 100-continue"), r.out());
        assertTrue(r.out().contains("< HTTP/1.1 100 Continue"), "the server asked for the body: " + r.out());
        assertTrue(r.out().contains("len=200000 sha=" + InteropApp.sha256(body)), r.out());
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        Tools.Run r = Tools.run(30, curl, "-sI", url("/static/page.html"));
        assertTrue(r.out().startsWith("HTTP/1.1 200 OK"), r.out());
        assertTrue(r.out().contains("Content-Length: 38"), r.out());
        assertTrue(r.out().contains("Content-Type: text/html; charset=utf-8"), r.out());
    }

    @Test
    void rangesAndConditionalGets() throws Exception {
        Path out = work.resolve("range.bin");
        Tools.Run r = Tools.run(30, curl, "-s", "-r", "1000-1999", "-o", out.toString(), "-w", "%{http_code}",
                url("/static/data.bin"));
        assertEquals("206", r.out());
        byte[] all = Files.readAllBytes(dir.resolve("data.bin"));
        assertArrayEquals(Arrays.copyOfRange(all, 1000, 2000), Files.readAllBytes(out));
        Tools.Run full = Tools.run(30, curl, "-s", "-o", out.toString(), "-w", "%{http_code} %{size_download}",
                url("/static/data.bin"));
        assertEquals("200 " + all.length, full.out());
        assertArrayEquals(all, Files.readAllBytes(out));
        Tools.Run cond = Tools.run(30, curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "-z",
                "Sat, 01 Jan 2100 00:00:00 GMT", url("/static/data.bin"));
        assertEquals("304", cond.out(), "If-Modified-Since in the future");
    }

    @Test
    void compressedResponsesAreDecodedByCurl() throws Exception {
        Tools.Run r = Tools.run(30, curl, "-s", "--compressed", "-D", "-", url("/big"));
        assertTrue(r.out().contains("Content-Encoding: gzip"), r.out().substring(0, 300));
        assertTrue(r.out().endsWith(InteropApp.BIG_TEXT), "decoded body");
    }

    @Test
    void streamedAndEventResponses() throws Exception {
        Tools.Run r = Tools.run(30, curl, "-sN", url("/stream"));
        assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n", r.out());
        Tools.Run e = Tools.run(30, curl, "-sN", url("/events"));
        assertTrue(e.out().startsWith("id: 0\nevent: tick\ndata: event 0\n\n"), e.out());
    }

    @Test
    void tlsWithAlpnHttp11() throws Exception {
        io.asyncio4j.http.server.ServerSettings s = io.asyncio4j.http.server.ServerSettings.defaults().withAccessLog(false);
        try (BackgroundServer tls = BackgroundServer.start(InteropApp.create(null), s,
                io.asyncio4j.http.server.TestTlsAccess.serverContext())) {
            Tools.Run r = Tools.run(30, curl, "-sv", "--cacert", io.asyncio4j.http.server.TestTlsAccess.certPem()
                    .toString(), "https://localhost:" + tls.port() + "/");
            assertEquals(0, r.exit(), r.out());
            assertTrue(r.out().contains("ALPN: server accepted http/1.1")
                    || r.out().contains("ALPN, server accepted to use http/1.1"), r.out());
            assertTrue(r.out().endsWith("Hello, World!"), r.out());
        }
    }
}
