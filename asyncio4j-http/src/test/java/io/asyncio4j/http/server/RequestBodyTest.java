package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.connect;
import static io.asyncio4j.http.server.HttpTesting.readAll;
import static io.asyncio4j.http.server.HttpTesting.readUntil;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Future;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.http.testing.TestResponse;
import io.asyncio4j.stream.Streams;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Reading request bodies: whole, as forms, as streams with backpressure, within limits. */
class RequestBodyTest {

    private static Application echoLength() {
        Application app = new Application();
        app.router().post("/len", r -> Response.text(Integer.toString(r.read().length)));
        return app;
    }

    @HttpTest
    void textUsesTheContentTypesCharset(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/t", r -> Response.text(r.text()));
        TestClient c = clients.start(app);
        byte[] latin1 = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", c.post("/t", latin1, "text/plain; charset=iso-8859-1").text());
        assertEquals("caf\u00e9", c.post("/t", "caf\u00e9".getBytes(UTF_8), "text/plain").text(), "UTF-8 by default");
    }

    @HttpTest
    void urlencodedForms(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/f", r -> {
            FormData f = r.post();
            return Response.text(f.get("name").orElse("?") + "," + f.getAll("tag") + "," + f.files().size());
        });
        TestClient c = clients.start(app);
        TestResponse r = c.post("/f", ascii("name=J%C3%BCrgen+K&tag=a&tag=b"), "application/x-www-form-urlencoded");
        assertEquals("J\u00fcrgen K,[a, b],0", r.text());
    }

    @HttpTest
    void multipartFormsWithFilesInMemory(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/up", r -> {
            FormData f = r.post();
            FileField file = f.file("doc").orElseThrow();
            return Response.text(f.get("title").orElseThrow() + "|" + file.filename() + "|" + file.contentType() + "|"
                    + new String(file.content(), UTF_8));
        });
        TestClient c = clients.start(app);
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMy doc\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nline1\r\nline2 --Xy\r\n--XyZ--\r\n";
        TestResponse r = c.post("/up", ascii(body), "multipart/form-data; boundary=XyZ");
        assertEquals("My doc|a.txt|text/plain|line1\r\nline2 --Xy", r.text());
        TestResponse bad = c.post("/up", ascii("--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nno end"),
                "multipart/form-data; boundary=XyZ");
        assertEquals(400, bad.status());
    }

    @HttpTest
    void multipartStreamsPartByPart(TestClients clients) throws Exception {
        int size = 3 * 1024 * 1024;
        byte[] file = new byte[size];
        for (int i = 0; i < size; i++) {
            file[i] = (byte) (i * 7 + (i >> 10));
        }
        Application app = new Application();
        app.router().post("/big", r -> {
            r.setClientMaxSize(16 * 1024 * 1024);
            MultipartReader parts = r.multipart();
            StringBuilder out = new StringBuilder();
            for (BodyPart p; (p = parts.next()) != null; ) {
                long n = 0;
                int hash = 1;
                for (byte[] chunk; (chunk = p.readChunk()).length > 0; ) {
                    n += chunk.length;
                    for (byte b : chunk) {
                        hash = 31 * hash + b;
                    }
                }
                out.append(p.name().orElse("?")).append('=').append(n).append('/').append(hash).append(';');
            }
            return Response.text(out.toString());
        });
        TestClient c = clients.start(app);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("preamble\r\n--b0undary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"));
        body.writeBytes(file);
        body.writeBytes(ascii("\r\n--b0undary\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\nsmall\r\n--b0undary--"));
        int hash = 1;
        for (byte b : file) {
            hash = 31 * hash + b;
        }
        int small = 1;
        for (byte b : ascii("small")) {
            small = 31 * small + b;
        }
        TestResponse r = c.post("/big", body.toByteArray(), "multipart/form-data; boundary=b0undary");
        assertEquals("f=" + size + "/" + hash + ";g=5/" + small + ";", r.text());
    }

    @HttpTest
    void aChunkedUploadIsReadAsAStreamWithBackpressure(TestClients clients) throws Exception {
        Future<Void> go = Asyncio.createFuture();
        long[] seen = new long[1];
        Application app = new Application();
        app.router().post("/stream", r -> {
            Asyncio.await(go); // the handler does not read at first: the connection must stop reading
            long n = 0;
            for (byte[] chunk : r.content()) {
                n += chunk.length;
            }
            seen[0] = n;
            return Response.text("got " + n);
        });
        app.setClientMaxSize(64L * 1024 * 1024);
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'u');
        long sent = 0;
        boolean blocked = false;
        for (int i = 0; i < 400 && !blocked; i++) { // 25 MiB: far more than the sockets and the body stream hold
            c.writer().write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
            c.writer().write(chunk);
            c.writer().write(ascii("\r\n"));
            sent += chunk.length;
            try {
                Asyncio.waitFor(() -> {
                    c.writer().drain();
                    return null;
                }, Duration.ofMillis(500));
            } catch (io.asyncio4j.TimeoutError e) {
                blocked = true; // the server stopped reading: the handler has not read
            }
        }
        assertTrue(blocked, "the writes back up while the handler does not read");
        assertTrue(sent < 25L * 1024 * 1024, "the server stopped reading while the handler did not read");
        go.setResult(null);
        for (int i = 0; i < 400 && sent < 25L * 1024 * 1024; i++) {
            c.writer().write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
            c.writer().write(chunk);
            c.writer().write(ascii("\r\n"));
            sent += chunk.length;
            c.writer().drain();
        }
        c.writer().write(ascii("0\r\n\r\n"));
        String reply = readUntil(c, "got " + sent, 10_000);
        assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
        assertTrue(reply.endsWith("got " + sent), reply);
        assertEquals(sent, seen[0]);
        c.close();
    }

    @HttpTest
    void aBodyOverTheLimitIs413BeforeOrWhileReading(TestClients clients) throws Exception {
        Application app = echoLength().setClientMaxSize(1000);
        TestClient c = clients.start(app);
        assertEquals("1000", c.post("/len", new byte[1000], "application/octet-stream").text());
        assertEquals(413, c.post("/len", new byte[1001], "application/octet-stream").status());
        Streams.Connection raw = connect(c.port());
        raw.writer().write(ascii("POST /len HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "300\r\n" + "a".repeat(0x300) + "\r\n300\r\n" + "b".repeat(0x300) + "\r\n0\r\n\r\n"));
        String reply = readAll(raw, 3000);
        assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
        assertTrue(reply.contains("Connection: close"), reply);
        assertTrue(reply.endsWith("<EOF>"), "the connection is closed after the 413: " + reply);
        raw.close();
    }

    @HttpTest
    void aHandlerMayRaiseItsOwnLimitBeforeReading(TestClients clients) throws Exception {
        Application app = new Application().setClientMaxSize(10);
        app.router().post("/big", r -> {
            r.setClientMaxSize(100_000);
            return Response.text(Integer.toString(r.read().length));
        });
        app.router().post("/small", r -> Response.text(Integer.toString(r.read().length)));
        TestClient c = clients.start(app);
        assertEquals("50000", c.post("/big", new byte[50_000], "application/octet-stream").text());
        assertEquals(413, c.post("/small", new byte[11], "application/octet-stream").status());
    }

    @HttpTest
    void expectContinueIsAnsweredWhenTheHandlerReads(TestClients clients) throws Exception {
        Future<Void> reading = Asyncio.createFuture();
        Application app = new Application();
        app.router().post("/upload", r -> {
            Asyncio.sleep(Duration.ofMillis(100)); // before reading: no 100 Continue yet
            reading.setResult(null);
            return Response.text("got " + r.text());
        });
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
        String before = readAll(c, 50);
        assertEquals("", before, "nothing is sent before the handler reads");
        String cont = readUntil(c, "\r\n\r\n", 3000);
        assertTrue(reading.isDone());
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", cont);
        c.writer().write(ascii("hello"));
        String reply = readUntil(c, "got hello", 3000);
        assertTrue(reply.startsWith("HTTP/1.1 200 OK"), reply);
        c.close();
    }

    @HttpTest
    void aHandlerThatRejectsBeforeReadingSendsNo100AndCloses(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/upload", r -> {
            throw HttpException.unauthorized("Basic realm=\"x\"");
        });
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
        String reply = readAll(c, 3000);
        assertTrue(reply.startsWith("HTTP/1.1 401 Unauthorized"), reply);
        assertFalse(reply.contains("100 Continue"), reply);
        assertTrue(reply.contains("WWW-Authenticate: Basic realm=\"x\""), reply);
        assertTrue(reply.contains("Connection: close"), "the unsent body is not waited for: " + reply);
        assertTrue(reply.endsWith("<EOF>"), reply);
        c.close();
    }

    @HttpTest
    void anUnreadSmallBodyIsDiscardedAndTheConnectionKept(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/ignore", r -> Response.text("ignored"));
        app.router().get("/next", r -> Response.text("next"));
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + "z".repeat(10000)
                + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"));
        String reply = readUntil(c, "next", 3000);
        assertEquals(List.of(200, 200), HttpTesting.statuses(reply));
        c.close();
    }

    @HttpTest
    void aLargeUnreadBodyClosesTheConnectionAfterTheResponse(TestClients clients) throws Exception {
        Application app = new Application().setClientMaxSize(100L * 1024 * 1024);
        app.router().post("/ignore", r -> Response.text("ignored"));
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n" + "z".repeat(1000)));
        String reply = readAll(c, 3000);
        assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
        assertTrue(reply.contains("Connection: close"), reply);
        assertTrue(reply.endsWith("<EOF>"), reply);
        c.close();
    }

    @HttpTest
    void bodiesOfPipelinedRequestsStayWithTheirRequest(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/echo", r -> {
            Asyncio.sleep(Duration.ofMillis(5));
            return Response.text(r.text());
        });
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nthree"));
        String reply = readAll(c, 3000);
        int one = reply.indexOf("\r\n\r\none");
        int two = reply.indexOf("\r\n\r\ntwo");
        int three = reply.indexOf("\r\n\r\nthree");
        assertTrue(one > 0 && two > one && three > two, "answered in order: " + reply);
        assertTrue(reply.endsWith("<EOF>"), reply);
        c.close();
    }

    @HttpTest
    void theTestClientSendsAndReadsHeadersAsGiven(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().post("/h", r -> Response.text(r.header("X-One") + "," + r.headers().getAll("X-Two") + ","
                + r.cookies()));
        TestClient c = clients.start(app);
        Headers h = Headers.of("X-One", "1", "X-Two", "a", "X-Two", "b", "Cookie", "s=abc; t=\"q\"");
        assertEquals("1,[a, b],{s=abc, t=q}", c.request(HttpMethod.POST, "/h", h, new byte[0]).text());
        assertArrayEquals(new byte[0], c.head("/h").body());
    }
}
