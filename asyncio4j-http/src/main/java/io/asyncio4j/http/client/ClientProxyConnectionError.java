package io.asyncio4j.http.client;

import io.asyncio4j.http.internal.client.Urls;
import java.net.URI;

/**
 * The client could not reach the proxy a request goes through (refused, unreachable, closed
 * before it answered): aiohttp's {@code ClientProxyConnectionError}. {@link #host()} and
 * {@link #port()} are the proxy's; {@link #getCause()} is the socket's error. A proxy that answered
 * but refused a tunnel is a {@link ClientHttpProxyError} instead.
 */
public class ClientProxyConnectionError extends ClientConnectorError {
    private static final long serialVersionUID = 1L;
    /** The proxy's URL, without credentials. */
    private final transient URI proxy;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param proxy the proxy's URL, without credentials
     * @param message what happened
     * @param cause the socket's error, or {@code null}
     */
    public ClientProxyConnectionError(URI url, URI proxy, String message, Throwable cause) {
        super(url, Urls.host(proxy), Urls.port(proxy), message, cause);
        this.proxy = proxy;
    }

    /** {@return the proxy's URL, without credentials} */
    public URI proxy() {
        return proxy;
    }
}
