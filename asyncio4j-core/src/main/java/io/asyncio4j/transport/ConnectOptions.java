package io.asyncio4j.transport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.Streams;

/**
 * Options of {@link Streams#openConnection} and {@link Transports#createConnection}; start from
 * {@link #defaults()} and change what you need.
 *
 * {@snippet :
 * var options = ConnectOptions.defaults()
 *         .withConnectTimeout(Duration.ofSeconds(5))
 *         .withSsl(SSLContext.getDefault());
 * }
 *
 * @param ssl the TLS context, or {@code null} for a plain connection
 * @param serverHostname the host name to verify the server's certificate against and to send in
 *     SNI, or {@code null} for the host connected to
 * @param alpnProtocols the application protocols to offer over TLS (ALPN), or empty
 * @param limit the stream reader's buffer limit (default 64 KiB)
 * @param localAddress the local address to bind to, or {@code null}
 * @param connectTimeout how long connecting may take, or {@code null} for no limit
 * @param happyEyeballsDelay when a host has several addresses, how long to wait for one attempt
 *     before starting the next in parallel (RFC 8305), or {@code null} to try them one by one
 * @param sslHandshakeTimeout how long the TLS handshake may take (default 60 seconds, as asyncio)
 */
public record ConnectOptions(SSLContext ssl, String serverHostname, List<String> alpnProtocols, int limit,
                             SocketAddress localAddress, Duration connectTimeout, Duration happyEyeballsDelay,
                             Duration sslHandshakeTimeout) {

    /** Checks the values and copies the protocol list. */
    public ConnectOptions {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        alpnProtocols = alpnProtocols == null ? List.of() : List.copyOf(alpnProtocols);
        if (sslHandshakeTimeout == null) {
            sslHandshakeTimeout = DEFAULT_SSL_HANDSHAKE_TIMEOUT;
        }
    }

    private static final Duration DEFAULT_SSL_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    /** {@return the defaults: plain, 64 KiB limit, no timeout, addresses tried in order} */
    public static ConnectOptions defaults() {
        return new ConnectOptions(null, null, List.of(), StreamReader.DEFAULT_LIMIT, null, null, null,
                DEFAULT_SSL_HANDSHAKE_TIMEOUT);
    }

    /**
     * {@return these options with TLS}
     * @param context the TLS context
     */
    public ConnectOptions withSsl(SSLContext context) {
        return new ConnectOptions(context, serverHostname, alpnProtocols, limit, localAddress, connectTimeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options with a host name to verify and send in SNI}
     * @param hostname the host name
     */
    public ConnectOptions withServerHostname(String hostname) {
        return new ConnectOptions(ssl, hostname, alpnProtocols, limit, localAddress, connectTimeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options offering application protocols over TLS}
     * @param protocols the protocols, in order of preference
     */
    public ConnectOptions withAlpnProtocols(List<String> protocols) {
        return new ConnectOptions(ssl, serverHostname, protocols, limit, localAddress, connectTimeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options with another reader limit}
     * @param bytes the limit
     */
    public ConnectOptions withLimit(int bytes) {
        return new ConnectOptions(ssl, serverHostname, alpnProtocols, bytes, localAddress, connectTimeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options binding the local side}
     * @param address the local address
     */
    public ConnectOptions withLocalAddress(SocketAddress address) {
        return new ConnectOptions(ssl, serverHostname, alpnProtocols, limit, address, connectTimeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options with a connect timeout}
     * @param timeout the timeout
     */
    public ConnectOptions withConnectTimeout(Duration timeout) {
        return new ConnectOptions(ssl, serverHostname, alpnProtocols, limit, localAddress, timeout,
                happyEyeballsDelay, sslHandshakeTimeout);
    }

    /**
     * {@return these options racing a host's addresses (RFC 8305)}
     * @param delay how long one attempt gets before the next starts
     */
    public ConnectOptions withHappyEyeballsDelay(Duration delay) {
        return new ConnectOptions(ssl, serverHostname, alpnProtocols, limit, localAddress, connectTimeout, delay,
                sslHandshakeTimeout);
    }

    /**
     * {@return these options with another limit on the TLS handshake}
     * @param timeout how long the handshake may take
     */
    public ConnectOptions withSslHandshakeTimeout(Duration timeout) {
        return new ConnectOptions(ssl, serverHostname, alpnProtocols, limit, localAddress, connectTimeout,
                happyEyeballsDelay, timeout);
    }
}
