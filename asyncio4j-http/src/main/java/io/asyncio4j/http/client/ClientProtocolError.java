package io.asyncio4j.http.client;

import java.net.URI;

/**
 * The server's response head broke HTTP/1.1 (a malformed status line or field, conflicting
 * framing): the connection is closed. {@link #getCause()} is the parser's
 * {@link io.asyncio4j.http.HttpParseException}.
 */
public class ClientProtocolError extends ClientError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param message what happened
     * @param cause the parser's error
     */
    public ClientProtocolError(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
