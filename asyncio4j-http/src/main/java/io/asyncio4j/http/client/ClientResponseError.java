package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import java.net.URI;
import java.util.List;

/**
 * A response had a status of 400 or more and the session or request asked to raise for it:
 * aiohttp's {@code ClientResponseError}. The response was released (its body is not kept).
 */
public class ClientResponseError extends ClientError {
    private static final long serialVersionUID = 1L;
    /** The status code. */
    private final int status;
    private final transient Headers headers;
    private final transient List<ClientResponse> history;

    /**
     * Makes an error.
     *
     * @param url the URL that answered
     * @param status the status code
     * @param message the reason phrase or what happened
     * @param headers the response's fields
     * @param history the redirects before it
     */
    public ClientResponseError(URI url, int status, String message, Headers headers, List<ClientResponse> history) {
        super(url, status + ", message='" + message + "'", null);
        this.status = status;
        this.headers = headers;
        this.history = List.copyOf(history);
    }

    /** {@return the status code} */
    public int status() {
        return status;
    }

    /** {@return the response's header fields} */
    public Headers headers() {
        return headers;
    }

    /** {@return the redirect responses before this one} */
    public List<ClientResponse> history() {
        return history;
    }
}
