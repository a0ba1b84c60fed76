package io.asyncio4j.http.internal.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.http.client.ClientConnectorDnsError;
import io.asyncio4j.http.client.ClientConnectorError;
import io.asyncio4j.http.client.ClientEvents;
import io.asyncio4j.http.client.ClientProxyConnectionError;
import io.asyncio4j.http.client.ClientSslError;
import io.asyncio4j.http.client.ClientTimeout;
import io.asyncio4j.http.client.ClientTimeoutError;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/*
 * Implementation overview
 *
 * aiohttp's TCPConnector: connections by PoolKey, limited in total and per key. Loop thread only.
 *
 * Counting. `total` and `perKey` count every connection that exists or is being opened: the
 * active ones (a request holds them), the idle ones (in `idle`) and the reserved slots of
 * connects in progress. A limit is a limit on sockets, so an idle connection of another key is
 * closed (the least recently used first) when a request needs its slot.
 *
 * Waiting. A request that can neither reuse nor open waits in `waiters`, FIFO. Whatever frees
 * capacity serves the waiters at once, in order, on the loop: a released connection goes straight
 * to the first waiter of its key (so an idle connection exists only while nobody of its key
 * waits); a freed slot is reserved for the first waiter that may open one. A waiter's future thus
 * completes with a connection or with SLOT; if its task is cancelled (or times out) after that,
 * it hands the connection or the slot back, so that nothing is lost.
 *
 * Idle connections. LIFO per key (the most recently used is likeliest alive); each records when
 * it went idle, and one timer closes those idle for longer than the keep-alive timeout. While
 * idle a connection may receive nothing: a byte or an EOF (a server closing its idle side) drops
 * it at once (idleConnectionBroke), and acquire checks again before handing one out.
 *
 * Connecting. The host (or the proxy) is resolved through the DNS cache, then its addresses are
 * raced (Dialer), each attempt a ClientConnection of its own; a tunnel then runs CONNECT over the
 * winner and, for https, TLS with the origin over the tunnel (Tunnel, Transports.startTls).
 */

/** The client's connection pool: aiohttp's {@code TCPConnector}, with its DNS cache. */
public final class ConnectionPool {
    private static final Object SLOT = new Object();
    private static final Object CLOSED = new Object();
    private static final Duration HAPPY_EYEBALLS = Duration.ofMillis(250);

    private final EventLoop loop;
    private final int limit;
    private final int limitPerKey;
    private final long keepAliveNs;
    private final ClientEvents events;
    private final DnsCache dns;
    private final Map<PoolKey, ArrayDeque<ClientConnection>> idle = new HashMap<>();
    private final Map<PoolKey, int[]> perKey = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final java.util.Set<ClientConnection> all = new java.util.HashSet<>();
    private int total;
    private int idleCount;
    private TimerHandle cleanup;
    private boolean closed;
    private long created;
    private long reused;

    /** A waiting request; a fresh one (a retry) takes only a slot, never a kept-alive connection. */
    private record Waiter(PoolKey key, boolean fresh, Future<Object> future) {
    }

    /**
     * Makes a pool.
     *
     * @param loop the loop it lives on
     * @param limit the most connections in all (0: no limit)
     * @param limitPerKey the most connections per key (0: no limit)
     * @param keepAlive how long an idle connection is kept
     * @param events the hooks, or {@code null}
     * @param dns the DNS cache connections resolve through
     */
    public ConnectionPool(EventLoop loop, int limit, int limitPerKey, Duration keepAlive, ClientEvents events,
                          DnsCache dns) {
        this.loop = loop;
        this.dns = dns;
        this.limit = limit <= 0 ? Integer.MAX_VALUE : limit;
        this.limitPerKey = limitPerKey <= 0 ? Integer.MAX_VALUE : limitPerKey;
        this.keepAliveNs = keepAlive.toNanos();
        this.events = events;
    }

    /** A snapshot of the pool's counts, for tests and statistics. */
    public record Stats(int total, int idle, int waiting, long created, long reused) {
    }

    /** {@return the counts now} */
    public Stats stats() {
        return new Stats(total, idleCount, waiters.size(), created, reused);
    }

    /** {@return the DNS cache connections resolve through} */
    public DnsCache dnsCache() {
        return dns;
    }

    /**
     * Hands out a connection for a key: an idle one that is still usable, else a new one when the
     * limits allow, else the next one freed (FIFO). Suspends; checks for cancellation.
     *
     * @param key the key
     * @param url the request's URL, for errors
     * @param fresh whether to open a new connection even if an idle one exists (a retry)
     * @param deadlineNs the loop time by which a connection must be had, or {@link Long#MAX_VALUE}
     * @param deadlineKind which timeout the deadline is
     * @param sockConnect the limit on one connect and handshake, or {@code null}
     * @return the connection, active (release or discard it)
     * @throws IOException if connecting fails
     * @throws ClientTimeoutError if the deadline passes
     */
    public ClientConnection acquire(PoolKey key, URI url, boolean fresh, long deadlineNs,
                                    ClientTimeout.Kind deadlineKind, Duration sockConnect) throws IOException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        boolean queued = false;
        while (true) {
            if (!fresh) {
                ClientConnection c = takeIdle(key);
                if (c != null) {
                    reused++;
                    if (events != null) {
                        events.connectionReused(url);
                    }
                    return c;
                }
            }
            if (!hasSlot(key) && fresh) {
                ClientConnection old = takeIdle(key); // a retry: make room by closing an idle one of its key
                if (old != null) {
                    discard(old);
                }
            }
            if (hasSlot(key) || (total >= limit && count(key) < limitPerKey && evictIdleOfOtherKey(key))) {
                reserve(key);
                return open(key, url, deadlineNs, deadlineKind, sockConnect);
            }
            if (!queued && events != null) {
                events.connectionQueuedStart(url);
            }
            queued = true;
            Object got = awaitTurn(key, fresh, url, deadlineNs, deadlineKind);
            if (events != null) {
                events.connectionQueuedEnd(url);
            }
            queued = false;
            if (got == SLOT) {
                return open(key, url, deadlineNs, deadlineKind, sockConnect);
            }
            if (got instanceof ClientConnection c) {
                reused++;
                if (events != null) {
                    events.connectionReused(url);
                }
                return c;
            }
            if (got == CLOSED) {
                throw new IllegalStateException("the session was closed while the request waited for a connection");
            }
        }
    }

    private Object awaitTurn(PoolKey key, boolean fresh, URI url, long deadlineNs, ClientTimeout.Kind kind) {
        Future<Object> f = loop.createFuture();
        Waiter w = new Waiter(key, fresh, f);
        waiters.addLast(w);
        TimerHandle timer = null;
        if (deadlineNs != Long.MAX_VALUE) {
            timer = loop.callAt(deadlineNs, () -> {
                if (!f.isDone()) {
                    f.setResult(kind);
                }
            });
        }
        boolean ok = false;
        try {
            Object got = Asyncio.await(f);
            if (got instanceof ClientTimeout.Kind k) {
                throw new ClientTimeoutError(url, k, "no connection to " + key + " became free (the pool's limits)");
            }
            ok = true;
            return got;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            waiters.remove(w);
            if (!ok && f.isDone() && !f.isCancelled()) {
                giveBack(key, f.result()); // served, then cancelled before it could resume: nothing is lost
            }
        }
    }

    private void giveBack(PoolKey key, Object got) {
        if (got instanceof ClientConnection c) {
            release(c, true);
        } else if (got == SLOT) {
            unreserve(key);
        }
    }

    private ClientConnection open(PoolKey key, URI url, long deadlineNs, ClientTimeout.Kind kind,
                                  Duration sockConnect) throws IOException {
        ClientConnection c = null;
        boolean ok = false;
        try {
            if (events != null) {
                events.connectionCreateStart(url);
            }
            try (Timeout t = deadlineNs == Long.MAX_VALUE ? null : Asyncio.timeoutAt(deadlineNs)) {
                c = connect(key, url, sockConnect, t);
            } catch (ClientTimeoutError e) {
                throw e;
            } catch (TimeoutError e) {
                throw new ClientTimeoutError(url, kind, "connecting to " + key);
            }
            if (closed) {
                throw new IllegalStateException("the session was closed while the request connected");
            }
            ok = true;
            created++;
            all.add(c);
            if (events != null) {
                events.connectionCreateEnd(url);
            }
            return c;
        } finally {
            if (!ok) {
                if (c != null) {
                    c.abort();
                }
                unreserve(key);
            }
        }
    }

    /**
     * Makes a connection for a key: the host (or the proxy) resolved through the DNS cache, its
     * addresses raced, then for a tunnel the CONNECT exchange and TLS with the origin. A direct TLS
     * connection's handshake is the core's (SNI, ALPN {@code http/1.1}); a tunnel's is STARTTLS
     * over it, with the origin's name for SNI and the certificate check.
     */
    private ClientConnection connect(PoolKey key, URI url, Duration sockConnect, Timeout outer) throws IOException {
        ConnectOptions o = ConnectOptions.defaults();
        if (sockConnect != null) {
            o = o.withConnectTimeout(sockConnect).withSslHandshakeTimeout(sockConnect);
        }
        if (key.tls() && key.proxy() == null) {
            o = o.withSsl(key.ssl()).withServerHostname(key.host()).withAlpnProtocols(List.of("http/1.1"));
        }
        ConnectOptions options = o;
        ProxyRoute proxy = key.proxy();
        String host = proxy != null ? proxy.host() : key.host();
        int port = proxy != null ? proxy.port() : key.port();
        ClientConnection c;
        try {
            if (key.unixSocket() != null) {
                ClientConnection u = new ClientConnection(loop, key, this);
                Transports.createUnixConnection(() -> u, key.unixSocket(), options);
                c = u;
            } else {
                List<InetSocketAddress> addresses = dns.resolve(host, port);
                c = Dialer.connect(addresses, HAPPY_EYEBALLS, a -> {
                    ClientConnection one = new ClientConnection(loop, key, this);
                    Transports.createConnection(() -> one, a.getAddress().getHostAddress(), a.getPort(), options);
                    return one;
                });
            }
        } catch (TimeoutError e) {
            if (outer != null && outer.expired()) {
                throw e;
            }
            // the core's connect timeout (sockConnect)
            throw new ClientTimeoutError(url, ClientTimeout.Kind.SOCK_CONNECT, "connecting to " + key
                    + " took longer than " + sockConnect);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            if (sockConnect != null && e.getMessage() != null && e.getMessage().contains("timed out")) {
                throw new ClientTimeoutError(url, ClientTimeout.Kind.SOCK_CONNECT, "the TLS handshake with "
                        + key + " took longer than " + sockConnect);
            }
            throw new ClientSslError(url, key.host(), key.port(), e);
        } catch (SSLException e) {
            throw new ClientSslError(url, key.host(), key.port(), e);
        } catch (UnknownHostException e) {
            throw new ClientConnectorDnsError(url, host, port, e);
        } catch (IOException e) {
            if (proxy != null) {
                throw new ClientProxyConnectionError(url, proxy.url(), "cannot connect to the proxy " + proxy.url()
                        + ": " + e.getMessage(), e);
            }
            throw new ClientConnectorError(url, key.host(), key.port(), "cannot connect to " + key + ": "
                    + e.getMessage(), e);
        }
        if (!key.tunnel()) {
            return c;
        }
        boolean ok = false;
        try {
            tunnel(c, key, url, sockConnect, outer);
            ok = true;
            return c;
        } finally {
            if (!ok) {
                c.abort();
            }
        }
    }

    /** CONNECT, then TLS with the origin when the key runs it; each bounded by sockConnect. */
    private void tunnel(ClientConnection c, PoolKey key, URI url, Duration sockConnect, Timeout outer)
            throws IOException {
        long answerBy = sockConnect == null ? Long.MAX_VALUE : loop.time() + sockConnect.toNanos();
        Tunnel.open(c, key, url, answerBy);
        if (!key.tls()) {
            return;
        }
        try (Timeout _ = sockConnect == null ? null : Asyncio.timeout(sockConnect)) {
            Transport tls = Transports.startTls(c.transport(), c, key.ssl(), false, key.host());
            c.connectionMade(tls); // STARTTLS: the protocol is told of its new transport here
        } catch (TimeoutError e) {
            if (outer != null && outer.expired()) {
                throw e;
            }
            throw new ClientTimeoutError(url, ClientTimeout.Kind.SOCK_CONNECT, "the TLS handshake with " + key
                    + " took longer than " + sockConnect);
        } catch (SSLException e) {
            throw new ClientSslError(url, key.host(), key.port(), e);
        } catch (IOException e) {
            throw new ClientSslError(url, key.host(), key.port(), e); // the tunnel broke during the handshake
        }
    }

    private boolean hasSlot(PoolKey key) {
        return total < limit && count(key) < limitPerKey;
    }

    private int count(PoolKey key) {
        int[] n = perKey.get(key);
        return n == null ? 0 : n[0];
    }

    private void reserve(PoolKey key) {
        total++;
        perKey.computeIfAbsent(key, k -> new int[1])[0]++;
    }

    private void unreserve(PoolKey key) {
        total--;
        int[] n = perKey.get(key);
        if (--n[0] == 0) {
            perKey.remove(key);
        }
        serveWaiters();
    }

    private ClientConnection takeIdle(PoolKey key) {
        ArrayDeque<ClientConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            ClientConnection c = q.pollLast();
            idleCount--;
            c.setIdle(false);
            if (q.isEmpty()) {
                idle.remove(key);
            }
            long now = loop.time();
            if (c.reusable() && now - c.idleSinceNs < keepAliveNs) {
                c.requests++;
                return c;
            }
            forget(c); // closed, or past its keep-alive while the timer had not run yet
            q = idle.get(key);
        }
        return null;
    }

    private boolean evictIdleOfOtherKey(PoolKey key) {
        ClientConnection oldest = null;
        for (Map.Entry<PoolKey, ArrayDeque<ClientConnection>> e : idle.entrySet()) {
            if (!e.getKey().equals(key) && !e.getValue().isEmpty()) {
                ClientConnection c = e.getValue().peekFirst();
                if (oldest == null || c.idleSinceNs < oldest.idleSinceNs) {
                    oldest = c;
                }
            }
        }
        if (oldest == null) {
            return false;
        }
        removeIdle(oldest);
        forgetQuietly(oldest);
        return true;
    }

    private void removeIdle(ClientConnection c) {
        ArrayDeque<ClientConnection> q = idle.get(c.key());
        if (q != null && q.remove(c)) {
            idleCount--;
            if (q.isEmpty()) {
                idle.remove(c.key());
            }
        }
        c.setIdle(false);
    }

    /**
     * Takes a connection back after its response was read to the end. It goes to the first
     * waiter of its key, or becomes idle; a connection that cannot carry another request is
     * closed instead. Never suspends.
     *
     * @param c the connection
     * @param keepAlive whether the response allowed reuse
     */
    public void release(ClientConnection c, boolean keepAlive) {
        if (!keepAlive || closed || !c.reusable()) {
            discard(c);
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.fresh() && w.key().equals(c.key()) && !w.future().isDone()) {
                it.remove();
                c.requests++;
                w.future().setResult(c);
                return;
            }
        }
        c.idleSinceNs = loop.time();
        c.setIdle(true);
        idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>()).addLast(c);
        idleCount++;
        if (cleanup == null) {
            cleanup = loop.callAt(c.idleSinceNs + keepAliveNs, this::expireIdle);
        }
        serveWaiters(); // a waiter of another key blocked by the total limit may evict it
    }

    /**
     * Closes a connection that must not be reused (a protocol error, a body left unread, a
     * cancelled request) and frees its slot. Never suspends.
     *
     * @param c the connection
     */
    public void discard(ClientConnection c) {
        if (c.isIdle()) {
            removeIdle(c);
        }
        forget(c);
    }

    private void forget(ClientConnection c) {
        c.abort();
        if (all.remove(c)) {
            unreserve(c.key());
        }
    }

    private void forgetQuietly(ClientConnection c) {
        c.abort();
        if (all.remove(c)) {
            total--;
            int[] n = perKey.get(c.key());
            if (--n[0] == 0) {
                perKey.remove(c.key());
            }
        }
    }

    /** Detaches a connection from the pool (an upgrade): its slot is freed, the socket stays open. */
    void detach(ClientConnection c) {
        c.detach();
        if (all.remove(c)) {
            unreserve(c.key());
        }
    }

    void idleConnectionBroke(ClientConnection c) {
        removeIdle(c);
        forget(c);
    }

    private boolean serving;
    private boolean serveAgain;

    private void serveWaiters() {
        if (serving) {
            serveAgain = true; // freed while serving (an expired idle connection): one more pass
            return;
        }
        serving = true;
        try {
            do {
                serveAgain = false;
                serveOnce();
            } while (serveAgain);
        } finally {
            serving = false;
        }
    }

    private void serveOnce() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.future().isDone()) {
                it.remove();
                continue;
            }
            if (w.fresh() && !hasSlot(w.key())) {
                ClientConnection own = takeIdle(w.key()); // a retry: an idle one of its key makes room
                if (own != null) {
                    forgetQuietly(own);
                }
            }
            if (hasSlot(w.key()) || (total >= limit && count(w.key()) < limitPerKey
                    && evictIdleOfOtherKey(w.key()))) {
                it.remove();
                reserve(w.key());
                w.future().setResult(SLOT);
            } else if (total >= limit && idleCount == 0) {
                return; // nothing can be freed for anybody until a connection comes back
            }
        }
    }

    private void expireIdle() {
        cleanup = null;
        long now = loop.time();
        long next = Long.MAX_VALUE;
        List<ClientConnection> expired = new ArrayList<>();
        for (ArrayDeque<ClientConnection> q : idle.values()) {
            for (ClientConnection c : q) {
                if (now - c.idleSinceNs >= keepAliveNs) {
                    expired.add(c);
                } else {
                    next = Math.min(next, c.idleSinceNs + keepAliveNs);
                }
            }
        }
        for (ClientConnection c : expired) {
            removeIdle(c);
            forget(c);
        }
        if (next != Long.MAX_VALUE && cleanup == null) {
            cleanup = loop.callAt(next, this::expireIdle);
        }
    }

    /** {@return whether {@link #close} ran} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every connection (active ones too: their requests fail) and fails the waiters.
     * Never suspends.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleanup != null) {
            cleanup.cancel();
            cleanup = null;
        }
        for (Waiter w : waiters) {
            if (!w.future().isDone()) {
                w.future().setResult(CLOSED);
            }
        }
        waiters.clear();
        for (ClientConnection c : new ArrayList<>(all)) {
            c.setIdle(false);
            c.abort();
        }
        all.clear();
        idle.clear();
        perKey.clear();
        total = 0;
        idleCount = 0;
    }
}
