package io.asyncio4j.http.internal.client;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * What makes two connections interchangeable: the origin, how TLS is checked, and the Unix socket
 * when the session connects through one. The TLS context compares by identity.
 *
 * @param tls whether the connection runs TLS
 * @param host the host (lower case; an IPv6 literal without brackets)
 * @param port the port
 * @param ssl the TLS context, or {@code null} for a plain connection
 * @param verify whether certificates and host names are checked
 * @param unixSocket the Unix socket to connect to instead of {@code host:port}, or {@code null}
 */
public record PoolKey(boolean tls, String host, int port, SSLContext ssl, boolean verify, Path unixSocket) {

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + (unixSocket != null ? " via " + unixSocket : "") + (tls && !verify ? " (unverified)" : "");
    }
}
