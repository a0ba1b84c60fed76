package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.testing.HttpTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection pool: limits and their FIFO queue, reuse only of connections whose response was
 * read to the end, and every way a connection can go bad never reaching a later request.
 */
class PoolTest {

    private static Application slowApp(int[] concurrent, List<Integer> order) {
        Application app = new Application();
        app.router().get("/slow/{i}", r -> {
            order.add(Integer.parseInt(r.matchInfo("i")));
            concurrent[0]++;
            concurrent[1] = Math.max(concurrent[1], concurrent[0]);
            try {
                Asyncio.sleep(Duration.ofMillis(20));
            } finally {
                concurrent[0]--;
            }
            return Response.text("done " + r.matchInfo("i"));
        });
        app.router().get("/big", r -> Response.bytes(new byte[1 << 20], "application/octet-stream"));
        app.router().get("/hang", r -> {
            Asyncio.sleep(Duration.ofSeconds(30));
            return Response.text("late");
        });
        app.router().get("/ok", r -> Response.text("ok"));
        return app;
    }

    @HttpTest
    void thePerHostLimitQueuesRequestsInOrderAndIsNeverExceeded() throws Exception {
        int[] concurrent = new int[2];
        List<Integer> order = new ArrayList<>();
        try (Served s = Served.start(slowApp(concurrent, order));
             ClientSession session = ClientSession.open(ClientOptions.defaults().withLimitPerHost(2))) {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    try (ClientResponse r = session.get(s.url("/slow/" + n))) {
                        return r.text();
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals("done " + i, Asyncio.await(tasks.get(i)));
            }
            assertEquals(2, concurrent[1], "never more than two at once");
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), order, "waiting requests are served first come, first served");
            assertEquals(2, session.poolStats().created());
            assertEquals(6, session.poolStats().reused());
        }
    }

    @HttpTest
    void theTotalLimitClosesAnIdleConnectionOfAnotherHostToMakeRoom() throws Exception {
        try (Served a = Served.start(slowApp(new int[2], new ArrayList<>()));
             Served b = Served.start(slowApp(new int[2], new ArrayList<>()));
             ClientSession session = ClientSession.open(ClientOptions.defaults().withLimit(1))) {
            try (ClientResponse r = session.get(a.url("/ok"))) {
                r.read();
            }
            try (ClientResponse r = session.get(b.url("/ok"))) {
                assertEquals("ok", r.text());
            }
            assertEquals(1, session.poolStats().connections());
            assertEquals(2, session.poolStats().created());
        }
    }

    @HttpTest
    void aHalfReadBodyClosesItsConnectionAndTheNextRequestGetsAFreshOne() throws Exception {
        try (Served s = Served.start(slowApp(new int[2], new ArrayList<>())); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/big"))) {
                assertTrue(r.content().read(1000).length > 0);
            }
            assertEquals(0, session.poolStats().connections(), "the half-read connection was closed");
            try (ClientResponse r = session.get(s.url("/ok"))) {
                assertEquals("ok", r.text());
            }
            assertEquals(2, session.poolStats().created());
        }
    }

    @HttpTest
    void aCancelledRequestClosesItsConnection() throws Exception {
        try (Served s = Served.start(slowApp(new int[2], new ArrayList<>())); ClientSession session = ClientSession.open()) {
            assertThrows(TimeoutError.class, () -> {
                try (var t = Asyncio.timeout(Duration.ofMillis(50))) {
                    session.get(s.url("/hang"));
                }
            });
            assertEquals(0, session.poolStats().connections(), "cancelled mid-exchange: discarded, not pooled");
            try (ClientResponse r = session.get(s.url("/ok"))) {
                assertEquals("ok", r.text());
            }
        }
    }

    @HttpTest
    void aMalformedResponseIsAProtocolErrorAndPoisonsNothing() throws Exception {
        try (RawServer raw = RawServer.start((r, w) -> {
            if (r.line().contains("/bad")) {
                w.write(RawServer.ascii("HTTP/1.1 2x0 Nope\r\n\r\n"));
                return false;
            }
            return RawServer.ok(w, "fine");
        }); ClientSession session = ClientSession.open()) {
            ClientProtocolError e = assertThrows(ClientProtocolError.class, () -> session.get(raw.url("/bad")));
            assertTrue(e.getMessage().contains(raw.url("/bad")), e.getMessage());
            try (ClientResponse r = session.get(raw.url("/good"))) {
                assertEquals("fine", r.text());
            }
        }
    }

    @HttpTest
    void aBodyCutShortIsAPayloadErrorNeverATruncatedBody() throws Exception {
        try (RawServer raw = RawServer.start((r, w) -> {
            if (r.line().contains("/short")) {
                w.write(RawServer.ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345"));
            } else if (r.line().contains("/chunks")) {
                w.write(RawServer.ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n"));
            } else {
                w.write(RawServer.ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\nzz\r\n"));
            }
            return false;
        }); ClientSession session = ClientSession.open()) {
            for (String path : List.of("/short", "/chunks", "/badchunk")) {
                try (ClientResponse r = session.get(raw.url(path))) {
                    assertEquals(200, r.status());
                    ClientPayloadError e = assertThrows(ClientPayloadError.class, r::read, path);
                    assertTrue(e.getMessage().contains(path), e.getMessage());
                    assertThrows(ClientPayloadError.class, r::read, "the failure sticks");
                }
            }
            assertEquals(0, session.poolStats().connections());
        }
    }

    @HttpTest
    void aStaleKeepAliveConnectionIsRetriedOnceForAnIdempotentRequest() throws Exception {
        // the server answers the first request on each connection, and closes a reused connection
        // when the next request arrives, without a byte: the race of an idle timeout, made certain
        try (RawServer raw = RawServer.start((r, w) -> r.index() == 0 && RawServer.ok(w, "c" + r.connection()));
             ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(raw.url("/a"))) {
                assertEquals("c0", r.text());
            }
            try (ClientResponse r = session.get(raw.url("/b"))) {
                assertEquals("c1", r.text(), "retried on a new connection");
            }
            ServerDisconnectedError e = assertThrows(ServerDisconnectedError.class,
                    () -> session.post(raw.url("/c"), RequestBody.text("once")));
            assertTrue(e.getMessage().contains("/c"), e.getMessage());
            assertEquals(4, raw.requests.size(), "a POST is not sent twice");
        }
    }

    @HttpTest
    void aStreamedBodyIsNotRetried() throws Exception {
        try (RawServer raw = RawServer.start((r, w) -> r.index() == 0 && RawServer.ok(w, "x"));
             ClientSession session = ClientSession.open()) {
            session.get(raw.url("/a")).close();
            assertThrows(ServerDisconnectedError.class, () -> session.request(io.asyncio4j.http.HttpMethod.PUT,
                    raw.url("/b"), RequestOptions.of(RequestBody.stream(List.of(new byte[] {1}), null))));
        }
    }

    @HttpTest
    void anIdleConnectionTheServerClosedIsNeverHandedOut() throws Exception {
        try (RawServer raw = RawServer.start((r, w) -> {
            RawServer.ok(w, "c" + r.connection());
            return false; // closes after the response, though the response did not say so
        }); ClientSession session = ClientSession.open()) {
            int[] reused = new int[1];
            try (ClientResponse r = session.get(raw.url("/a"))) {
                assertEquals("c0", r.text());
            }
            Asyncio.sleep(Duration.ofMillis(50)); // the EOF arrives on the idle connection
            assertEquals(0, session.poolStats().connections(), "dropped as soon as the server closed it");
            try (ClientResponse r = session.get(raw.url("/b"))) {
                assertEquals("c1", r.text());
            }
            assertEquals(2, raw.requests.size(), "no retry was needed");
            assertEquals(0, reused[0]);
        }
    }

    @HttpTest
    void anIdleConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        try (Served s = Served.start(slowApp(new int[2], new ArrayList<>()));
             ClientSession session = ClientSession.open(ClientOptions.defaults()
                     .withKeepAliveTimeout(Duration.ofMillis(100)))) {
            session.get(s.url("/ok")).close();
            assertEquals(1, session.poolStats().idle());
            Asyncio.sleep(Duration.ofMillis(250));
            assertEquals(0, session.poolStats().connections());
        }
    }

    @HttpTest
    void aResponseThatSaysCloseIsNotReused() throws Exception {
        try (RawServer raw = RawServer.start((r, w) -> {
            w.write(RawServer.ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
            return true; // keeps the socket open: the client must not reuse it anyway
        }); ClientSession session = ClientSession.open()) {
            session.get(raw.url("/a")).close();
            session.get(raw.url("/b")).close();
            assertEquals(2, raw.connections);
            assertEquals(0, session.poolStats().connections());
        }
    }

    @HttpTest
    void waitingForAPoolSlotIsBoundByTheConnectTimeout() throws Exception {
        try (Served s = Served.start(slowApp(new int[2], new ArrayList<>()));
             ClientSession session = ClientSession.open(ClientOptions.defaults().withLimit(1))) {
            try (ClientResponse held = session.get(s.url("/big"))) {
                ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> session.get(s.url("/ok"),
                        RequestOptions.defaults().withTimeout(ClientTimeout.none().withConnect(Duration.ofMillis(50)))));
                assertEquals(ClientTimeout.Kind.CONNECT, e.kind());
                assertInstanceOf(TimeoutError.class, e);
                assertEquals(1 << 20, held.read().length);
            }
            try (ClientResponse r = session.get(s.url("/ok"))) {
                assertEquals("ok", r.text(), "the slot came back");
            }
        }
    }

    @HttpTest
    void closeWaitsForRequestsInFlightThenRefusesNewOnes() throws Exception {
        try (Served s = Served.start(slowApp(new int[2], new ArrayList<>()))) {
            ClientSession session = ClientSession.open();
            Task<Integer> t = Asyncio.createTask(() -> {
                try (ClientResponse r = session.get(s.url("/slow/1"))) {
                    return r.status();
                }
            });
            Asyncio.sleep(Duration.ofMillis(5));
            session.close();
            assertEquals(200, Asyncio.await(t));
            assertThrows(IllegalStateException.class, () -> session.get(s.url("/ok")));
            assertEquals(0, session.poolStats().connections());
        }
    }
}
