package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.http.internal.client.DnsCache;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Testing;
import io.asyncio4j.testing.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The connector's DNS cache, as aiohttp's ({@code use_dns_cache=True, ttl_dns_cache=10}): an answer
 * is used for its time to live on the loop's clock, concurrent connections to a host share one
 * lookup, a failure is not cached. The virtual clock moves only when a test advances it, so the
 * real sockets to the test's own server are never hurried by a jump; lookups are counted through
 * the session's resolver seam, not timed.
 */
class DnsCacheTest {
    private static final String HOST = "cached.test";

    /** Resolves {@link #HOST} to 127.0.0.1, counting lookups; a test can make the next ones fail or wait. */
    static final class Resolver implements DnsCache.Resolver {
        int lookups;
        int failNext;
        Future<Void> gate;
        final List<InetSocketAddress> extra = new ArrayList<>();

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            lookups++;
            if (gate != null) {
                Asyncio.await(Asyncio.shield(gate)); // a cancelled lookup leaves the gate to the next one
            }
            if (failNext > 0) {
                failNext--;
                throw new UnknownHostException(host + ": the test's resolver failed");
            }
            if (!host.equals(HOST)) {
                throw new UnknownHostException(host);
            }
            List<InetSocketAddress> out = new ArrayList<>(extra);
            out.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return out;
        }
    }

    private static Application app() {
        Application app = new Application();
        app.router().get("/", r -> Response.text("hello " + r.header("Host")));
        return app;
    }

    /** A request on a connection of its own (the server closes it), so that each one connects. */
    private static String fetch(ClientSession session, int port) throws Exception {
        try (ClientResponse r = session.get("http://" + HOST + ":" + port + "/", RequestOptions.defaults()
                .withHeaders("Connection", "close"))) {
            return r.text();
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void twoConnectionsWithinTheTtlResolveOnceAndOneAfterItResolvesAgain(VirtualClock clock) throws Exception {
        Resolver resolver = new Resolver();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            assertEquals("hello " + HOST + ":" + s.port, fetch(session, s.port));
            assertEquals("hello " + HOST + ":" + s.port, fetch(session, s.port));
            assertEquals(2, session.poolStats().created(), "two connections");
            assertEquals(1, resolver.lookups, "one lookup");
            clock.advance(Duration.ofMillis(9_999));
            fetch(session, s.port);
            assertEquals(1, resolver.lookups, "still within the 10 s");
            clock.advance(Duration.ofMillis(1));
            fetch(session, s.port);
            assertEquals(2, resolver.lookups, "10 s after the answer it is stale");
            fetch(session, s.port);
            assertEquals(2, resolver.lookups, "and the new answer is cached in turn");
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void theSessionsEventsSeeCacheMissesHitsAndEachLookupOnce(VirtualClock clock) throws Exception {
        Resolver resolver = new Resolver();
        List<String> seen = new ArrayList<>();
        ClientEvents events = new ClientEvents() {
            @Override
            public void dnsCacheHit(String host) {
                seen.add("hit " + host);
            }

            @Override
            public void dnsCacheMiss(String host) {
                seen.add("miss " + host);
            }

            @Override
            public void dnsResolveHostStart(String host) {
                seen.add("resolve " + host);
            }

            @Override
            public void dnsResolveHostEnd(String host) {
                seen.add("resolved " + host);
            }
        };
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults().withEvents(events), Map.of(),
                     resolver)) {
            fetch(session, s.port);
            fetch(session, s.port);
            assertEquals(List.of("miss " + HOST, "resolve " + HOST, "resolved " + HOST, "hit " + HOST), seen);
            seen.clear();
            resolver.failNext = 1;
            clock.advance(Duration.ofSeconds(10));
            assertThrows(ClientConnectorDnsError.class, () -> fetch(session, s.port));
            assertEquals(List.of("miss " + HOST, "resolve " + HOST, "resolved " + HOST), seen,
                    "a failed lookup ends too");
            seen.clear();
            session.get("http://127.0.0.1:" + s.port + "/").close();
            assertEquals(List.of(), seen, "an IP address is not looked up");
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void theTtlIsAnOptionAndNullCachesForTheSessionsLife(VirtualClock clock) throws Exception {
        Resolver short1 = new Resolver();
        Resolver forever = new Resolver();
        try (Served s = Served.start(app());
             ClientSession a = ClientSession.open(ClientOptions.defaults().withTtlDnsCache(Duration.ofSeconds(1)),
                     Map.of(), short1);
             ClientSession b = ClientSession.open(ClientOptions.defaults().withTtlDnsCache(null), Map.of(), forever)) {
            fetch(a, s.port);
            fetch(b, s.port);
            clock.advance(Duration.ofHours(5));
            fetch(a, s.port);
            fetch(b, s.port);
            assertEquals(2, short1.lookups);
            assertEquals(1, forever.lookups);
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void concurrentConnectionsToOneHostShareOneLookup() throws Exception {
        Resolver resolver = new Resolver();
        resolver.gate = Asyncio.createFuture();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Asyncio.createTask(() -> fetch(session, s.port)));
            }
            Testing.waitAllTasksBlocked();
            assertEquals(1, resolver.lookups, "the others wait for the first one's lookup");
            resolver.gate.setResult(null);
            for (Task<String> t : tasks) {
                assertEquals("hello " + HOST + ":" + s.port, Asyncio.await(t));
            }
            assertEquals(1, resolver.lookups);
            assertEquals(5, session.poolStats().created());
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void aFailedLookupFailsItsWaitersTooAndIsNotCached() throws Exception {
        Resolver resolver = new Resolver();
        resolver.failNext = 1;
        resolver.gate = Asyncio.createFuture();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            Task<String> first = Asyncio.createTask(() -> fetch(session, s.port));
            Task<String> second = Asyncio.createTask(() -> fetch(session, s.port));
            Testing.waitAllTasksBlocked();
            resolver.gate.setResult(null);
            for (Task<String> t : List.of(first, second)) {
                Exception e = assertThrows(Exception.class, () -> Asyncio.await(t));
                ClientConnectorDnsError d = assertInstanceOf(ClientConnectorDnsError.class, e);
                assertEquals(HOST, d.host());
                assertInstanceOf(UnknownHostException.class, d.getCause());
            }
            assertEquals(1, resolver.lookups, "one lookup failed both");
            resolver.gate = null;
            assertEquals("hello " + HOST + ":" + s.port, fetch(session, s.port));
            assertEquals(2, resolver.lookups, "the failure was not cached: the next connection resolves again");
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void aCancelledWaiterLeavesTheSharedLookupToTheOthers() throws Exception {
        Resolver resolver = new Resolver();
        resolver.gate = Asyncio.createFuture();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            Task<String> leader = Asyncio.createTask(() -> fetch(session, s.port));
            Task<String> quitter = Asyncio.createTask(() -> fetch(session, s.port));
            Task<String> patient = Asyncio.createTask(() -> fetch(session, s.port));
            Testing.waitAllTasksBlocked();
            quitter.cancel();
            assertThrows(CancelledError.class, () -> Asyncio.await(quitter));
            resolver.gate.setResult(null);
            assertEquals("hello " + HOST + ":" + s.port, Asyncio.await(leader));
            assertEquals("hello " + HOST + ":" + s.port, Asyncio.await(patient));
            assertEquals(1, resolver.lookups);
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void aCancelledLookupHandsOverToARequestStillWaiting() throws Exception {
        Resolver resolver = new Resolver();
        resolver.gate = Asyncio.createFuture();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            Task<String> leader = Asyncio.createTask(() -> fetch(session, s.port));
            Testing.waitAllTasksBlocked();
            Task<String> follower = Asyncio.createTask(() -> fetch(session, s.port));
            Testing.waitAllTasksBlocked();
            leader.cancel();
            assertThrows(CancelledError.class, () -> Asyncio.await(leader));
            Testing.waitAllTasksBlocked();
            assertEquals(2, resolver.lookups, "the waiting request resolves in its turn");
            resolver.gate.setResult(null);
            assertEquals("hello " + HOST + ":" + s.port, Asyncio.await(follower));
            assertEquals(0, session.poolStats().connections());
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void withoutTheCacheEveryConnectionResolvesAndClearingForgetsTheAnswers() throws Exception {
        Resolver off = new Resolver();
        Resolver on = new Resolver();
        try (Served s = Served.start(app());
             ClientSession a = ClientSession.open(ClientOptions.defaults().withUseDnsCache(false), Map.of(), off);
             ClientSession b = ClientSession.open(ClientOptions.defaults(), Map.of(), on)) {
            fetch(a, s.port);
            fetch(a, s.port);
            assertEquals(2, off.lookups);
            fetch(b, s.port);
            b.clearDnsCache();
            fetch(b, s.port);
            assertEquals(2, on.lookups, "clearDnsCache()");
            b.clearDnsCache("other.test", s.port);
            fetch(b, s.port);
            assertEquals(2, on.lookups, "another host's entry");
            b.clearDnsCache("CACHED.test", s.port);
            fetch(b, s.port);
            assertEquals(3, on.lookups, "clearDnsCache(host, port)");
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void anIpLiteralIsNeverLookedUp() throws Exception {
        Resolver resolver = new Resolver();
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            try (ClientResponse r = session.get(s.url("/"))) {
                r.read();
            }
            assertEquals(0, resolver.lookups);
        }
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void cachedAnswersRotateSoThatConnectionsSpreadOverTheHostsAddresses(EventLoop loop) throws Exception {
        List<InetSocketAddress> all = List.of(new InetSocketAddress("10.0.0.1", 80),
                new InetSocketAddress("10.0.0.2", 80), new InetSocketAddress("10.0.0.3", 80));
        int[] lookups = new int[1];
        DnsCache cache = new DnsCache(loop, (host, port) -> {
            lookups[0]++;
            return all;
        }, true, Duration.ofSeconds(10), null);
        assertEquals(all, cache.resolve("spread.test", 80), "the resolver's order first");
        assertEquals(List.of(all.get(1), all.get(2), all.get(0)), cache.resolve("spread.test", 80));
        assertEquals(List.of(all.get(2), all.get(0), all.get(1)), cache.resolve("spread.test", 80));
        assertEquals(all, cache.resolve("spread.test", 80));
        assertEquals(1, lookups[0]);
        assertEquals(List.of(new InetSocketAddress("::1", 443)), cache.resolve("::1", 443), "a literal at once");
        assertEquals(1, lookups[0]);
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void aRefusedAddressFallsBackToTheHostsNextOne() throws Exception {
        int closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = ss.getLocalPort();
        }
        Resolver resolver = new Resolver();
        resolver.extra.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed));
        try (Served s = Served.start(app());
             ClientSession session = ClientSession.open(ClientOptions.defaults(), Map.of(), resolver)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("hello " + HOST + ":" + s.port, fetch(session, s.port), "the refused address first, "
                        + "then the server's, whichever order the rotation gives");
            }
            assertEquals(1, resolver.lookups);
        }
    }
}
