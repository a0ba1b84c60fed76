package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.internal.client.ProxyRoute;
import java.net.URI;

/**
 * The options of one request: aiohttp's keyword arguments of {@code session.request(...)}.
 * Start from {@link #defaults()}, or from one of the shortcuts.
 *
 * {@snippet :
 * session.get(url, RequestOptions.defaults()
 *         .withParams(Params.of("q", "async io", "page", "2"))
 *         .withHeaders(Headers.of("Accept", "application/json")));
 * }
 *
 * @param headers header fields of this request (over the session's)
 * @param params query parameters appended to the URL, percent-encoded
 * @param body the body, or {@code null} for none
 * @param timeout the timeouts, or {@code null} for the session's
 * @param allowRedirects whether redirects are followed (true)
 * @param maxRedirects the most redirects, or -1 for the session's
 * @param raiseForStatus whether a status of 400 or more throws, or {@code null} for the session's
 * @param verifyTls whether the server's certificate and host name are checked (true); see {@link #withInsecureNoTlsVerification()}
 * @param auth credentials sent as {@code Authorization: Basic}, or {@code null}
 * @param proxy the HTTP proxy of this request (over the session's), or {@code null} for the session's
 * @param proxyAuth the proxy's credentials (over the session's), or {@code null} for the session's or those in the proxy's URL
 * @param proxyHeaders header fields for the proxy (over the session's)
 */
public record RequestOptions(Headers headers, Params params, RequestBody body, ClientTimeout timeout, boolean allowRedirects, int maxRedirects, Boolean raiseForStatus, boolean verifyTls, BasicAuth auth, URI proxy, BasicAuth proxyAuth, Headers proxyHeaders) {

    private static final RequestOptions DEFAULTS = new RequestOptions(null, null, null, null, true, -1, null, true,
            null, null, null, null);

    /** Normalises absent headers and parameters to empty ones, and checks the proxy's URL. */
    public RequestOptions {
        headers = headers == null ? new Headers().freeze() : headers;
        proxyHeaders = proxyHeaders == null ? new Headers().freeze() : proxyHeaders.copy().freeze();
        if (proxy != null) {
            proxy = ProxyRoute.check(proxy);
        }
        params = params == null ? Params.empty() : params;
        if (maxRedirects < -1) {
            throw new IllegalArgumentException("maxRedirects must be -1 (the session's) or more: " + maxRedirects);
        }
    }

    /** {@return no headers, no parameters, no body, the session's timeouts and redirect rules} */
    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@return these options with a body}
     * @param body the body
     */
    public static RequestOptions of(RequestBody body) {
        return DEFAULTS.withBody(body);
    }

    /**
     * {@return these options without checking the server's certificate or host name: anybody on
     * the path can read and change this request. For tests against self-signed servers only}
     */
    public RequestOptions withInsecureNoTlsVerification() {
        return withVerifyTls(false);
    }

    /**
     * {@return these options with more header fields}
     * @param namesAndValues name, value, name, value...
     */
    public RequestOptions withHeaders(String... namesAndValues) {
        return withHeaders(Headers.of(namesAndValues));
    }

    /**
     * {@return these options with another {@code headers}}
     * @param value header fields of this request (over the session's)
     */
    public RequestOptions withHeaders(Headers value) {
        return new RequestOptions(value, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code params}}
     * @param value query parameters appended to the URL, percent-encoded
     */
    public RequestOptions withParams(Params value) {
        return new RequestOptions(headers, value, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code body}}
     * @param value the body, or {@code null} for none
     */
    public RequestOptions withBody(RequestBody value) {
        return new RequestOptions(headers, params, value, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code timeout}}
     * @param value the timeouts, or {@code null} for the session's
     */
    public RequestOptions withTimeout(ClientTimeout value) {
        return new RequestOptions(headers, params, body, value, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code allowRedirects}}
     * @param value whether redirects are followed (true)
     */
    public RequestOptions withAllowRedirects(boolean value) {
        return new RequestOptions(headers, params, body, timeout, value, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code maxRedirects}}
     * @param value the most redirects, or -1 for the session's
     */
    public RequestOptions withMaxRedirects(int value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, value, raiseForStatus, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code raiseForStatus}}
     * @param value whether a status of 400 or more throws, or {@code null} for the session's
     */
    public RequestOptions withRaiseForStatus(Boolean value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, value, verifyTls, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code verifyTls}}
     * @param value whether the server's certificate and host name are checked (true); see {@link #withInsecureNoTlsVerification()}
     */
    public RequestOptions withVerifyTls(boolean value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, value, auth, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code auth}}
     * @param value credentials sent as {@code Authorization: Basic}, or {@code null}
     */
    public RequestOptions withAuth(BasicAuth value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, value, proxy, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with an HTTP proxy for this request: aiohttp's {@code proxy=}}
     * See {@link ClientOptions#withProxy(String)}.
     *
     * @param url the proxy's URL ({@code http://})
     * @throws InvalidUrlError if it is not an http URL with a host
     */
    public RequestOptions withProxy(String url) {
        return withProxy(url == null ? null : URI.create(url));
    }

    /**
     * {@return these options with another {@code proxy}}
     * @param value the HTTP proxy of this request (over the session's), or {@code null} for the session's
     */
    public RequestOptions withProxy(URI value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, value, proxyAuth, proxyHeaders);
    }

    /**
     * {@return these options with another {@code proxyAuth}: aiohttp's {@code proxy_auth=}}
     * @param value the proxy's credentials (over the session's), or {@code null} for the session's or those in the proxy's URL
     */
    public RequestOptions withProxyAuth(BasicAuth value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, value, proxyHeaders);
    }

    /**
     * {@return these options with another {@code proxyHeaders}: aiohttp's {@code proxy_headers=}}
     * @param value header fields for the proxy (over the session's)
     */
    public RequestOptions withProxyHeaders(Headers value) {
        return new RequestOptions(headers, params, body, timeout, allowRedirects, maxRedirects, raiseForStatus, verifyTls, auth, proxy, proxyAuth, value);
    }

}
