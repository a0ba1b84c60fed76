package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import java.net.URI;
import java.util.List;

/**
 * A request was redirected more often than allowed, or into a loop: aiohttp's
 * {@code TooManyRedirects}. The message names the chain of URLs.
 */
public class TooManyRedirectsError extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the last URL
     * @param status the last status
     * @param message what happened, with the chain
     * @param headers the last response's fields
     * @param history the responses of the chain
     */
    public TooManyRedirectsError(URI url, int status, String message, Headers headers, List<ClientResponse> history) {
        super(url, status, message, headers, history);
    }
}
