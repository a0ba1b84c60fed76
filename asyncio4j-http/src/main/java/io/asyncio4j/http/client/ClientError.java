package io.asyncio4j.http.client;

import java.io.IOException;
import java.net.URI;

/**
 * A request failed: aiohttp's {@code ClientError}, the root of the client's errors but for
 * timeouts ({@link ClientTimeoutError} is a {@link io.asyncio4j.TimeoutError}, as aiohttp's are
 * {@code asyncio.TimeoutError}s). Every error names the URL it concerns.
 */
public class ClientError extends IOException {
    private static final long serialVersionUID = 1L;

    /** The URL; transient because {@link URI} is serializable but the error's use is local. */
    private final transient URI url;

    /**
     * Makes an error.
     *
     * @param url the request's URL, or {@code null}
     * @param message what happened
     * @param cause the cause, or {@code null}
     */
    public ClientError(URI url, String message, Throwable cause) {
        super(url == null ? message : message + " (" + url + ")", cause);
        this.url = url;
    }

    /** {@return the URL of the request that failed, or {@code null}} */
    public URI url() {
        return url;
    }
}
