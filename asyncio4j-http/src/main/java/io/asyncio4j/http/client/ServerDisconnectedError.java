package io.asyncio4j.http.client;

import java.net.URI;

/**
 * The server closed the connection before its response was complete (or before it began):
 * aiohttp's {@code ServerDisconnectedError}. A request that may be repeated safely is retried
 * once on a new connection when a reused one turns out closed before any byte of the response
 * arrived; this error means the retry was not allowed or failed too.
 */
public class ServerDisconnectedError extends ClientError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param message what happened
     * @param cause the socket's error, or {@code null} for a clean close
     */
    public ServerDisconnectedError(URI url, String message, Throwable cause) {
        super(url, message, cause);
    }
}
