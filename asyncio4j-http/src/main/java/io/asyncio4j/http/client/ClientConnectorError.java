package io.asyncio4j.http.client;

import java.net.URI;

/**
 * The client could not connect to the server (refused, unreachable, reset during the
 * handshake): aiohttp's {@code ClientConnectorError}. {@link #getCause()} is the socket's error.
 */
public class ClientConnectorError extends ClientError {
    private static final long serialVersionUID = 1L;
    /** The host connected to. */
    private final String host;
    /** The port connected to. */
    private final int port;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param host the host connected to
     * @param port the port
     * @param message what happened
     * @param cause the socket's error
     */
    public ClientConnectorError(URI url, String host, int port, String message, Throwable cause) {
        super(url, message, cause);
        this.host = host;
        this.port = port;
    }

    /** {@return the host the client tried to connect to} */
    public String host() {
        return host;
    }

    /** {@return the port the client tried to connect to} */
    public int port() {
        return port;
    }
}
