package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import java.net.URI;

/**
 * Hooks into a session's requests and connections: aiohttp's {@code TraceConfig}, okhttp's
 * {@code EventListener}. Every method does nothing by default; override those you need and pass
 * the listener with {@link ClientOptions#withEvents}. A session without a listener makes no call
 * at all. The hooks run on the loop, inside the request's task: they must not block (they may
 * not suspend either), and what they throw fails the request.
 *
 * {@snippet :
 * var counting = new ClientEvents() {
 *     int created;
 *     @Override public void connectionCreateEnd(URI url) { created++; }
 * };
 * try (var session = ClientSession.open(ClientOptions.defaults().withEvents(counting))) { ... }
 * }
 */
public interface ClientEvents {

    /**
     * A request is about to be sent (for each redirect too).
     *
     * @param method the method
     * @param url the URL
     * @param headers the header fields it is sent with
     */
    default void requestStart(HttpMethod method, URI url, Headers headers) {
    }

    /**
     * A response head arrived.
     *
     * @param method the method
     * @param url the URL
     * @param status the status code
     */
    default void requestEnd(HttpMethod method, URI url, int status) {
    }

    /**
     * A request failed.
     *
     * @param method the method
     * @param url the URL
     * @param error what it failed with
     */
    default void requestException(HttpMethod method, URI url, Throwable error) {
    }

    /**
     * A request began to wait for a connection (the pool's limits).
     *
     * @param url the URL
     */
    default void connectionQueuedStart(URI url) {
    }

    /**
     * A request stopped waiting for a connection.
     *
     * @param url the URL
     */
    default void connectionQueuedEnd(URI url) {
    }

    /**
     * A new connection is being opened.
     *
     * @param url the URL
     */
    default void connectionCreateStart(URI url) {
    }

    /**
     * A new connection is open (after its TLS handshake).
     *
     * @param url the URL
     */
    default void connectionCreateEnd(URI url) {
    }

    /**
     * A request got a kept-alive connection from the pool.
     *
     * @param url the URL
     */
    default void connectionReused(URI url) {
    }

    /**
     * A piece of a request body was written.
     *
     * @param url the URL
     * @param bytes how many bytes
     */
    default void requestChunkSent(URI url, int bytes) {
    }

    /**
     * A piece of a response body arrived (before decompression).
     *
     * @param url the URL
     * @param bytes how many bytes
     */
    default void responseChunkReceived(URI url, int bytes) {
    }

    /**
     * A host's addresses were found in the session's DNS cache, within their time to live
     * (aiohttp's {@code on_dns_cache_hit}).
     *
     * @param host the host name
     */
    default void dnsCacheHit(String host) {
    }

    /**
     * A host's addresses were not in the DNS cache, or had expired: a lookup is made, or one
     * already under way is waited for (aiohttp's {@code on_dns_cache_miss}). Not called when the
     * session has no cache, nor for an IP address.
     *
     * @param host the host name
     */
    default void dnsCacheMiss(String host) {
    }

    /**
     * The resolver is asked for a host's addresses (aiohttp's {@code on_dns_resolvehost_start}):
     * once per lookup, however many requests wait on it.
     *
     * @param host the host name
     */
    default void dnsResolveHostStart(String host) {
    }

    /**
     * A lookup ended, with addresses or failed (aiohttp's {@code on_dns_resolvehost_end}).
     *
     * @param host the host name
     */
    default void dnsResolveHostEnd(String host) {
    }
}
