package io.asyncio4j.http.internal.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.http.client.ClientEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Implementation overview
 *
 * aiohttp's TCPConnector DNS cache (use_dns_cache, ttl_dns_cache) and its lookup throttle. Loop
 * thread only.
 *
 * `cache` maps (host, port) to the addresses and the loop time they came at; an entry is used while
 * less than the TTL has passed since (always, with no TTL). An entry is looked at, not swept: an
 * expired one is dropped by the lookup that finds it.
 * Each hit hands out the addresses rotated by one more place (aiohttp's round robin), so that
 * successive connections spread over a host's addresses as the system resolver's own rotation
 * would have spread them.
 *
 * `inFlight` holds one future per (host, port) being resolved. The first request to miss resolves
 * in its own task (the leader); the others await the future (the throttle). The future always
 * completes with a result, never an exception, so nothing is ever reported as unretrieved:
 *
 *   the addresses      -> followers use them (they are cached too);
 *   an UnknownHost     -> followers fail with a copy of it (not cached: the next request tries again);
 *   RETRY              -> the leader was cancelled or timed out: followers loop, and one of them leads.
 *
 * A cancelled follower just stops waiting (it awaits the future through a shield: awaiting it bare
 * would cancel it, as asyncio cancels the future a cancelled task waits on). clear() empties the cache; a lookup in flight still
 * completes its followers, and caches its answer (it started after nothing).
 */

/**
 * The connector's DNS cache: addresses per (host, port) for a time to live, one lookup at a time
 * per key.
 */
public final class DnsCache {
    private static final Object RETRY = new Object();

    /** Resolves a host name (a seam for tests: the default is the loop's {@code getAddrInfo}). */
    @FunctionalInterface
    public interface Resolver {
        /**
         * Resolves a name. Suspends; checks for cancellation.
         *
         * @param host the host name (never an IP literal)
         * @param port the port of the addresses
         * @return the addresses, at least one
         * @throws UnknownHostException if the name has none
         */
        List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException;
    }

    private record Key(String host, int port) {
    }

    private static final class Entry {
        final List<InetSocketAddress> addresses;
        /** When the answer came (loop time). */
        final long atNs;
        int next;

        Entry(List<InetSocketAddress> addresses, long atNs) {
            this.addresses = addresses;
            this.atNs = atNs;
        }

        List<InetSocketAddress> rotated() {
            int n = addresses.size();
            if (n == 1) {
                return addresses;
            }
            int from = next;
            next = (next + 1) % n;
            List<InetSocketAddress> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(addresses.get((from + i) % n));
            }
            return out;
        }
    }

    private final EventLoop loop;
    private final Resolver resolver;
    /** The session's hooks, or null. */
    private final ClientEvents events;
    private final boolean enabled;
    private final long ttlNs;
    private final Map<Key, Entry> cache = new HashMap<>();
    private final Map<Key, Future<Object>> inFlight = new HashMap<>();

    /**
     * Makes a cache.
     *
     * @param loop the loop it lives on, whose clock expires the entries
     * @param resolver the resolver, or {@code null} for the loop's {@code getAddrInfo}
     * @param enabled whether to cache at all (aiohttp's {@code use_dns_cache}); without, every
     *     connection resolves its host, and lookups are not shared
     * @param ttl how long an answer is used (aiohttp's {@code ttl_dns_cache}), or {@code null} for ever
     * @param events the session's hooks (cache hits and misses, lookups), or {@code null}
     */
    public DnsCache(EventLoop loop, Resolver resolver, boolean enabled, Duration ttl, ClientEvents events) {
        this.loop = loop;
        this.resolver = resolver != null ? resolver : loop::getAddrInfo;
        this.events = events;
        this.enabled = enabled;
        this.ttlNs = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
    }

    /**
     * Returns a host's addresses: an IP literal's at once, a cached answer still within its time to
     * live, else a new lookup, shared with every request for the same host and port that comes
     * while it runs. A failed lookup is not cached. Suspends for a lookup; checks for cancellation.
     *
     * @param host the host (an IPv6 literal without brackets)
     * @param port the port
     * @return the addresses to try, in order
     * @throws UnknownHostException if the name has no address
     */
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress literal = literal(host);
        if (literal != null) {
            return List.of(new InetSocketAddress(literal, port));
        }
        if (!enabled) {
            return lookUp(host, port);
        }
        Key key = new Key(host, port);
        while (true) {
            Entry e = cache.get(key);
            if (e != null) {
                if (ttlNs == Long.MAX_VALUE || loop.time() - e.atNs < ttlNs) {
                    if (events != null) {
                        events.dnsCacheHit(host);
                    }
                    return e.rotated();
                }
                cache.remove(key);
            }
            if (events != null) {
                events.dnsCacheMiss(host);
            }
            Future<Object> pending = inFlight.get(key);
            if (pending == null) {
                return lead(key);
            }
            // shielded: a follower's cancellation must not cancel the lookup the others share
            Object got = Asyncio.await(Asyncio.shield(pending));
            if (got instanceof UnknownHostException u) {
                UnknownHostException copy = new UnknownHostException(u.getMessage());
                copy.initCause(u);
                throw copy;
            }
            if (got != RETRY) {
                // the leader's answer, rotated as a hit would be (with a zero TTL it is not cached)
                Entry shared = cache.get(key);
                if (shared != null && shared.addresses == got) {
                    return shared.rotated();
                }
                @SuppressWarnings("unchecked")
                List<InetSocketAddress> addresses = (List<InetSocketAddress>) got;
                return addresses;
            }
        }
    }

    private List<InetSocketAddress> lead(Key key) throws UnknownHostException {
        Future<Object> f = loop.createFuture();
        inFlight.put(key, f);
        Object outcome = RETRY;
        try {
            List<InetSocketAddress> addresses = lookUp(key.host(), key.port());
            Entry e = new Entry(addresses, loop.time());
            e.next = 1; // the leader takes them in the resolver's order
            cache.put(key, e);
            outcome = addresses;
            return addresses;
        } catch (UnknownHostException e) {
            outcome = e;
            throw e;
        } finally {
            inFlight.remove(key);
            f.setResult(outcome);
        }
    }

    /** Asks the resolver, between the lookup hooks. */
    private List<InetSocketAddress> lookUp(String host, int port) throws UnknownHostException {
        if (events == null) {
            return checked(host, resolver.resolve(host, port));
        }
        events.dnsResolveHostStart(host);
        try {
            return checked(host, resolver.resolve(host, port));
        } finally {
            events.dnsResolveHostEnd(host);
        }
    }

    private static List<InetSocketAddress> checked(String host, List<InetSocketAddress> addresses)
            throws UnknownHostException {
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException(host + ": no address");
        }
        return List.copyOf(addresses);
    }

    private static InetAddress literal(String host) {
        if (host.isEmpty() || !(Character.digit(host.charAt(0), 16) >= 0 || host.charAt(0) == ':')) {
            return null; // a name: not worth an exception
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Forgets every answer (aiohttp's {@code clear_dns_cache()}). Never suspends. */
    public void clear() {
        cache.clear();
    }

    /**
     * Forgets the answer for one host and port (aiohttp's {@code clear_dns_cache(host, port)}).
     * Never suspends.
     *
     * @param host the host
     * @param port the port
     */
    public void clear(String host, int port) {
        cache.remove(new Key(host, port));
    }

    /** {@return how many answers are cached, expired ones not yet dropped included} */
    public int size() {
        return cache.size();
    }
}
