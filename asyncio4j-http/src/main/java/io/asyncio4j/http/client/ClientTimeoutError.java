package io.asyncio4j.http.client;

import io.asyncio4j.TimeoutError;
import java.net.URI;

/**
 * One of a request's timeouts passed ({@link #kind()} says which; {@link ClientTimeout} explains
 * each). It is a {@link TimeoutError}, as aiohttp's timeouts are {@code asyncio.TimeoutError}s,
 * so {@code catch (TimeoutError e)} catches the client's timeouts and the caller's own alike.
 */
public class ClientTimeoutError extends TimeoutError {
    private static final long serialVersionUID = 1L;
    /** Which timeout passed. */
    private final ClientTimeout.Kind kind;
    private final transient URI url;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param kind which timeout
     * @param message what was being waited for
     */
    public ClientTimeoutError(URI url, ClientTimeout.Kind kind, String message) {
        super(kind.fieldName() + " timeout: " + message + " (" + url + ")");
        this.kind = kind;
        this.url = url;
    }

    /** {@return which timeout passed} */
    public ClientTimeout.Kind kind() {
        return kind;
    }

    /** {@return the URL of the request} */
    public URI url() {
        return url;
    }
}
