package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import java.net.URI;
import java.util.List;

/**
 * The proxy answered a {@code CONNECT} (the tunnel an https or WebSocket request goes through)
 * with a status other than 2xx: aiohttp's {@code ClientHttpProxyError}. {@link #status()} is the
 * proxy's status: 407 when it wants credentials ({@link ClientOptions#withProxyAuth}) or refused
 * them, 403 when it does not tunnel to that port, 502 or 504 when it could not reach the origin.
 * The proxy's answer is not read further, and its connection is closed.
 *
 * <p>A plain http request through a proxy has no tunnel: a 407 or 502 from the proxy is then its
 * response, as in aiohttp.
 */
public class ClientHttpProxyError extends ClientResponseError {
    private static final long serialVersionUID = 1L;
    /** The proxy's URL, without credentials. */
    private final transient URI proxy;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param proxy the proxy's URL, without credentials
     * @param status the proxy's status
     * @param reason the proxy's reason phrase
     * @param headers the proxy's header fields
     * @param tunnel the {@code host:port} the tunnel was asked for
     */
    public ClientHttpProxyError(URI url, URI proxy, int status, String reason, Headers headers, String tunnel) {
        super(url, status, reason + ": the proxy " + proxy + " did not open a tunnel to " + tunnel, headers,
                List.of());
        this.proxy = proxy;
    }

    /** {@return the proxy's URL, without credentials} */
    public URI proxy() {
        return proxy;
    }
}
