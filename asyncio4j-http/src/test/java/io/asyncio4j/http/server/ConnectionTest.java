package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.connect;
import static io.asyncio4j.http.server.HttpTesting.readAll;
import static io.asyncio4j.http.server.HttpTesting.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.StreamedResponse;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.stream.Streams;
import java.time.Duration;
import java.util.List;

/** Connections: keep-alive, timeouts, limits, disconnects, pipelining, backpressure, bad input. */
class ConnectionTest {
    private static final ServerSettings QUIET = ServerSettings.defaults().withAccessLog(false)
            .withShutdownTimeout(Duration.ofSeconds(5));

    @HttpTest
    void anIdleKeepAliveConnectionClosesAfterTheTimeout(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("hi"));
        TestClient tc = clients.start(app, QUIET.withKeepAliveTimeout(Duration.ofMillis(200)));
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        long t0 = System.nanoTime();
        String reply = readAll(c, 3000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(reply.startsWith("HTTP/1.1 200") && reply.endsWith("hi<EOF>"), reply);
        assertTrue(ms >= 150 && ms < 2000, "closed after about 200 ms of idleness: " + ms);
        c.close();
    }

    @HttpTest
    void aClientThatTricklesItsHeadersGets408AndIsDropped(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("hi"));
        TestClient tc = clients.start(app, QUIET.withHeaderReadTimeout(Duration.ofMillis(300)));
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
        long t0 = System.nanoTime();
        String reply = "";
        for (int i = 0; i < 40 && !reply.contains("<EOF>"); i++) { // a header byte every 50 ms: activity, no head
            try {
                c.writer().write(ascii("X"));
                c.writer().drain();
            } catch (java.io.IOException e) {
                break; // dropped
            }
            reply += readAll(c, 50);
        }
        reply += readAll(c, 1000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(reply.startsWith("HTTP/1.1 408 Request Timeout"), reply);
        assertTrue(reply.endsWith("<EOF>"), reply);
        assertTrue(ms < 1500, "dropped soon after the 300 ms head timeout, whatever the trickle: " + ms);
        c.close();
    }

    @HttpTest
    void connectionsBeyondTheLimitGet503(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("hi"));
        TestClient tc = clients.start(app, QUIET.withMaxConnections(2));
        Streams.Connection a = connect(tc.port());
        Streams.Connection b = connect(tc.port());
        for (Streams.Connection x : List.of(a, b)) {
            x.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertTrue(readUntil(x, "hi", 3000).startsWith("HTTP/1.1 200"));
        }
        Streams.Connection third = connect(tc.port());
        third.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        String refused = readAll(third, 3000);
        assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable"), refused);
        assertTrue(refused.contains("Retry-After: 1") && refused.endsWith("<EOF>"), refused);
        third.close();
        a.close();
        Asyncio.sleep(Duration.ofMillis(50));
        Streams.Connection fourth = connect(tc.port());
        fourth.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertTrue(readUntil(fourth, "hi", 3000).startsWith("HTTP/1.1 200"), "a freed slot serves again");
        fourth.close();
        b.close();
    }

    @HttpTest
    void aClientThatDisconnectsCancelsItsHandler(TestClients clients) throws Exception {
        Future<String> outcome = Asyncio.createFuture();
        Application app = new Application();
        app.router().get("/slow", r -> {
            try {
                Asyncio.sleep(Duration.ofSeconds(10));
                outcome.setResult("finished");
            } catch (CancelledError e) {
                outcome.setResult("cancelled");
                throw e;
            }
            return Response.text("late");
        });
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
        Asyncio.sleep(Duration.ofMillis(50));
        c.close();
        assertEquals("cancelled", Asyncio.waitFor(outcome, Duration.ofSeconds(3)));
    }

    @HttpTest
    void withoutHandlerCancellationTheHandlerFinishesAndItsWritesFail(TestClients clients) throws Exception {
        Future<String> outcome = Asyncio.createFuture();
        Application app = new Application();
        app.router().get("/slow", r -> {
            Asyncio.sleep(Duration.ofMillis(200));
            StreamResponse s = new StreamResponse();
            try {
                s.prepare(r);
                for (int i = 0; i < 100; i++) { // the first writes may still reach the kernel
                    s.write("x".repeat(1000));
                    Asyncio.sleep(Duration.ofMillis(10));
                }
                outcome.setResult("wrote");
            } catch (java.io.IOException e) {
                outcome.setResult("write failed: " + e.getClass().getSimpleName());
            }
            return s;
        });
        TestClient tc = clients.start(app, QUIET.withHandlerCancellation(false));
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
        Asyncio.sleep(Duration.ofMillis(50));
        c.close();
        assertEquals("write failed: SocketException", Asyncio.waitFor(outcome, Duration.ofSeconds(3)));
    }

    @HttpTest
    void aRequestTimeoutCancelsTheHandlerAndAnswers503(TestClients clients) throws Exception {
        Future<Boolean> cancelled = Asyncio.createFuture();
        Application app = new Application();
        app.router().get("/slow", r -> {
            try {
                Asyncio.sleep(Duration.ofSeconds(5));
            } finally {
                cancelled.setResult(true);
            }
            return Response.text("late");
        });
        app.router().get("/fast", r -> Response.text("fast"));
        TestClient c = clients.start(app, QUIET.withRequestTimeout(Duration.ofMillis(100)));
        long t0 = System.nanoTime();
        var r = c.get("/slow");
        assertEquals(503, r.status());
        assertEquals("close", r.header("Connection"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
        assertTrue(Asyncio.await(cancelled));
        assertEquals("fast", c.get("/fast").text());
    }

    @HttpTest
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/{n}", r -> {
            int n = Integer.parseInt(r.matchInfo("n"));
            Asyncio.sleep(Duration.ofMillis(n == 1 ? 100 : 0));
            return Response.text("r" + n);
        });
        TestClient tc = clients.start(app);
        Streams.Connection c = connect(tc.port());
        StringBuilder req = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            req.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\n").append(i == 20 ? "Connection: close\r\n" : "")
                    .append("\r\n");
        }
        c.writer().write(ascii(req.toString()));
        String reply = readAll(c, 5000);
        int at = 0;
        for (int i = 1; i <= 20; i++) {
            int next = reply.indexOf("\r\n\r\nr" + i, at);
            assertTrue(next > at - 1, "r" + i + " in order: " + reply);
            at = next + 1;
        }
        assertTrue(reply.endsWith("r20<EOF>"), reply);
        c.close();
    }

    @HttpTest
    void aSlowReaderOfAHundredMebibytesMakesTheHandlerWaitWithBoundedMemory(TestClients clients) throws Exception {
        long total = 100L * 1024 * 1024;
        long[] written = new long[1];
        Application app = new Application();
        app.router().get("/big", r -> {
            StreamResponse s = new StreamResponse().setContentLength(total);
            s.setContentType("application/octet-stream");
            s.prepare(r);
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                s.write(chunk); // suspends while the client does not read
                written[0] += chunk.length;
            }
            return s;
        });
        TestClient tc = clients.start(app);
        try (StreamedResponse s = tc.stream(HttpMethod.GET, "/big", null, null)) {
            assertEquals(200, s.status());
            Asyncio.sleep(Duration.ofMillis(500)); // the client stops reading
            long whilePaused = written[0];
            Asyncio.sleep(Duration.ofMillis(300));
            assertEquals(whilePaused, written[0], "the handler waits in write() while the client does not read");
            assertTrue(whilePaused < 24L * 1024 * 1024, "only socket buffers and the write buffer's high mark are "
                    + "ahead of the reader: " + whilePaused);
            Runtime rt = Runtime.getRuntime();
            long usedWhilePaused = rt.totalMemory() - rt.freeMemory();
            long got = 0;
            for (byte[] b; (b = s.readChunk()).length > 0; ) {
                got += b.length;
            }
            assertEquals(total, got);
            assertEquals(total, written[0]);
            assertTrue(usedWhilePaused < 512L * 1024 * 1024, "heap in use while paused: " + usedWhilePaused);
        }
    }

    @HttpTest
    void malformedRequestsGetTheirStatusAndTheConnectionCloses(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("hi"));
        app.router().post("/", r -> Response.text("posted " + r.read().length));
        TestClient tc = clients.start(app);
        String[][] cases = {
            {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
            {"GET / HTTP/1.2\r\nHost: x\r\n\r\n", "505"},
            {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
            {"GET / HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(17000) + "\r\n\r\n", "431"},
            {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "501"},
            {"GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n", "417"},
            {"GET / HTTP/1.1\r\n\r\n", "400"},
            {"GET / HTTP/1.1\nHost: x\r\n\r\n", "400"},
        };
        for (String[] k : cases) {
            Streams.Connection c = connect(tc.port());
            c.writer().write(ascii(k[0]));
            String reply = readAll(c, 3000);
            c.close();
            assertTrue(reply.startsWith("HTTP/1.1 " + k[1] + " "), k[1] + " expected: " + reply);
            assertTrue(reply.contains("Connection: close") && reply.endsWith("<EOF>"), reply);
        }
        Streams.Connection c = connect(tc.port());
        c.writer().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nBad : y\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        String reply = readAll(c, 3000);
        assertEquals(List.of(200, 400), HttpTesting.statuses(reply), "nothing after a bad request is read: " + reply);
        c.close();
        assertFalse(tc.runner().requestsInFlight() > 0);
    }
}
