package io.asyncio4j.http.client;

import java.net.URI;

/**
 * A response body was cut short or malformed: fewer bytes than its {@code Content-Length}, a
 * chunked body without its last chunk, broken chunk framing or compressed data: aiohttp's
 * {@code ClientPayloadError}. A body is never silently truncated.
 */
public class ClientPayloadError extends ClientError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param message what happened
     * @param cause the cause, or {@code null}
     */
    public ClientPayloadError(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
