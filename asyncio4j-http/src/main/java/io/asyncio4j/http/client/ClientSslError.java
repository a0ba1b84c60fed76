package io.asyncio4j.http.client;

import java.net.URI;

/**
 * The TLS handshake failed: a certificate that is not trusted, a host name it does not name, no
 * protocol or cipher in common: aiohttp's {@code ClientSSLError}. {@link #getCause()} is the
 * JDK's {@link javax.net.ssl.SSLException}.
 */
public class ClientSslError extends ClientConnectorError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param host the host
     * @param port the port
     * @param cause the TLS error
     */
    public ClientSslError(URI url, String host, int port, Throwable cause) {
        super(url, host, port, "TLS with " + host + ":" + port + " failed: " + cause.getMessage(), cause);
    }
}
