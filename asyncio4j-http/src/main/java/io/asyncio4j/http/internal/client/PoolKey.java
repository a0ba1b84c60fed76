package io.asyncio4j.http.internal.client;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * What makes two connections interchangeable: the origin, how TLS is checked, the Unix socket
 * when the session connects through one, and the proxy. The TLS context compares by identity.
 *
 * <p>Three shapes: a direct connection (no proxy) to {@code host:port}; a connection to a proxy
 * for plain http requests ({@code proxy} set, not a tunnel), whose host and port are the proxy's,
 * so that requests to every origin share it; a tunnel through a proxy to {@code host:port}
 * (https, and WebSocket upgrades), one per origin and proxy.
 *
 * @param tls whether the connection runs TLS (with the origin, through a tunnel too)
 * @param host the host connected to (lower case; an IPv6 literal without brackets): the origin, or
 *     the proxy for plain requests through one
 * @param port the port
 * @param ssl the TLS context, or {@code null} for a plain connection
 * @param verify whether certificates and host names are checked
 * @param unixSocket the Unix socket to connect to instead of {@code host:port}, or {@code null}
 * @param proxy the proxy, or {@code null} for a direct connection
 * @param tunnel whether the connection is a CONNECT tunnel through the proxy to {@code host:port}
 */
public record PoolKey(boolean tls, String host, int port, SSLContext ssl, boolean verify, Path unixSocket,
                      ProxyRoute proxy, boolean tunnel) {

    /**
     * {@return the key of a direct connection}
     * @param tls whether it runs TLS
     * @param host the host
     * @param port the port
     * @param ssl the TLS context, or {@code null}
     * @param verify whether certificates and host names are checked
     * @param unixSocket the Unix socket, or {@code null}
     */
    public static PoolKey direct(boolean tls, String host, int port, SSLContext ssl, boolean verify,
                                 Path unixSocket) {
        return new PoolKey(tls, host, port, ssl, verify, unixSocket, null, false);
    }

    /**
     * {@return the key of a connection to a proxy carrying plain http requests to any origin: the
     * proxy and its credentials (the extra fields go in each request)}
     * @param proxy the proxy
     */
    public static PoolKey toProxy(ProxyRoute proxy) {
        return new PoolKey(false, proxy.host(), proxy.port(), null, true, null, proxy.withoutHeaders(), false);
    }

    /**
     * {@return the key of a tunnel through a proxy}
     * @param tls whether TLS runs with the origin inside the tunnel
     * @param host the origin's host
     * @param port the origin's port
     * @param ssl the TLS context, or {@code null}
     * @param verify whether certificates and host names are checked
     * @param proxy the proxy
     */
    public static PoolKey tunnel(boolean tls, String host, int port, SSLContext ssl, boolean verify,
                                 ProxyRoute proxy) {
        return new PoolKey(tls, host, port, ssl, verify, null, proxy, true);
    }

    /** {@return whether plain requests go to the proxy in absolute form on this connection} */
    public boolean absoluteForm() {
        return proxy != null && !tunnel;
    }

    @Override
    public String toString() {
        if (absoluteForm()) {
            return "the proxy " + proxy;
        }
        return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + (unixSocket != null ? " via " + unixSocket : "") + (tls && !verify ? " (unverified)" : "")
                + (proxy != null ? " through the proxy " + proxy : "");
    }
}
