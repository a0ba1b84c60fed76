package io.asyncio4j.transport;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.Streams;

/**
 * Options of {@link Streams#startServer} and {@link Transports#createServer}; start from
 * {@link #defaults()}.
 *
 * @param ssl the TLS context, or {@code null} for plain connections
 * @param alpnProtocols the application protocols accepted over TLS, or empty
 * @param limit the stream reader's buffer limit (default 64 KiB)
 * @param backlog the listen backlog
 * @param reuseAddress whether to set SO_REUSEADDR (default true, as asyncio on Unix)
 * @param reusePort whether to set SO_REUSEPORT
 * @param sslHandshakeTimeout how long a TLS handshake may take (default 60 seconds, as asyncio)
 * @param startServing whether the server accepts connections at once (default true); when false,
 *     it accepts from {@link Server#startServing()} or {@link Server#serveForever()} on
 */
public record ServerOptions(SSLContext ssl, List<String> alpnProtocols, int limit, int backlog, boolean reuseAddress,
                            boolean reusePort, Duration sslHandshakeTimeout, boolean startServing) {

    /** Checks the values and copies the protocol list. */
    public ServerOptions {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        alpnProtocols = alpnProtocols == null ? List.of() : List.copyOf(alpnProtocols);
        if (sslHandshakeTimeout == null) {
            sslHandshakeTimeout = Duration.ofSeconds(60);
        }
    }

    /** {@return the defaults: plain, 64 KiB limit, backlog 100, SO_REUSEADDR, serving at once} */
    public static ServerOptions defaults() {
        return new ServerOptions(null, List.of(), StreamReader.DEFAULT_LIMIT, 100, true, false, Duration.ofSeconds(60),
                true);
    }

    /**
     * {@return these options with TLS}
     * @param context the TLS context (with the server's key and certificate)
     */
    public ServerOptions withSsl(SSLContext context) {
        return new ServerOptions(context, alpnProtocols, limit, backlog, reuseAddress, reusePort,
                sslHandshakeTimeout, startServing);
    }

    /**
     * {@return these options accepting application protocols over TLS}
     * @param protocols the protocols, in order of preference
     */
    public ServerOptions withAlpnProtocols(List<String> protocols) {
        return new ServerOptions(ssl, protocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing);
    }

    /**
     * {@return these options with another reader limit}
     * @param bytes the limit
     */
    public ServerOptions withLimit(int bytes) {
        return new ServerOptions(ssl, alpnProtocols, bytes, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing);
    }

    /**
     * {@return these options with another backlog}
     * @param connections the backlog
     */
    public ServerOptions withBacklog(int connections) {
        return new ServerOptions(ssl, alpnProtocols, limit, connections, reuseAddress, reusePort,
                sslHandshakeTimeout, startServing);
    }

    /**
     * {@return these options with SO_REUSEADDR on or off}
     * @param on whether to set it
     */
    public ServerOptions withReuseAddress(boolean on) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, on, reusePort, sslHandshakeTimeout, startServing);
    }

    /**
     * {@return these options with SO_REUSEPORT on or off}
     * @param on whether to set it
     */
    public ServerOptions withReusePort(boolean on) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, on, sslHandshakeTimeout,
                startServing);
    }

    /**
     * {@return these options with another limit on each connection's TLS handshake}
     * @param timeout how long a handshake may take before the connection is dropped
     */
    public ServerOptions withSslHandshakeTimeout(Duration timeout) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, timeout, startServing);
    }

    /**
     * {@return these options with the server accepting at once or only once asked}
     * @param atOnce whether {@code startServer} starts accepting; when false, the socket is
     *     bound and listening (the kernel queues up to the backlog's connections) and they are
     *     accepted from {@link Server#startServing()} or {@link Server#serveForever()} on
     */
    public ServerOptions withStartServing(boolean atOnce) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                atOnce);
    }
}
