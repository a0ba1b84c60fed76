package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.internal.client.ProxyRoute;
import io.asyncio4j.http.internal.client.Version;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A session's options: aiohttp's {@code ClientSession(...)} and {@code TCPConnector(...)}
 * arguments. Start from {@link #defaults()} and change what you need, as with the core's
 * {@code ConnectOptions}.
 *
 * {@snippet :
 * var options = ClientOptions.defaults()
 *         .withBaseUrl("http://127.0.0.1:8080")
 *         .withTimeout(ClientTimeout.defaults().withTotal(Duration.ofSeconds(10)))
 *         .withLimitPerHost(8);
 * }
 *
 * @param baseUrl the URL relative request URLs resolve against, or {@code null}
 * @param headers header fields sent with every request (a request's own win)
 * @param timeout the timeouts (see {@link ClientTimeout})
 * @param raiseForStatus whether a status of 400 or more throws {@link ClientResponseError}
 * @param autoDecompress whether gzip and deflate bodies are decompressed (and asked for)
 * @param limit the most connections in all (0: none), 100 by default
 * @param limitPerHost the most connections to one host and port (0: none, the default)
 * @param keepAliveTimeout how long an idle connection is kept, 15 seconds by default
 * @param ssl the TLS context, or {@code null} for the JDK's default (certificates and host names checked)
 * @param userAgent the {@code User-Agent} field, or {@code null} for none
 * @param maxRedirects how many redirects a request follows at most (10)
 * @param cookieJar the cookie jar, or {@code null} for none
 * @param json the codec of JSON bodies
 * @param events the hooks, or {@code null} for none
 * @param unixSocket a Unix socket every connection goes to (the URL's host is still sent), or {@code null}
 * @param proxy the HTTP proxy every request goes through (aiohttp's {@code proxy=}), or {@code null}
 * @param proxyAuth the proxy's credentials, sent as {@code Proxy-Authorization: Basic}, or {@code null} for those in the proxy's URL, if any
 * @param proxyHeaders header fields for the proxy: in a plain request through it, and in the {@code CONNECT} of a tunnel
 * @param trustEnv whether {@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code WS_PROXY}, {@code WSS_PROXY} and {@code NO_PROXY} choose the proxy when none is given (false)
 * @param useDnsCache whether resolved addresses are cached per host and port (true)
 * @param ttlDnsCache how long a cached answer is used, 10 seconds by default, or {@code null} for as long as the session lives
 */
public record ClientOptions(URI baseUrl, Headers headers, ClientTimeout timeout, boolean raiseForStatus, boolean autoDecompress, int limit, int limitPerHost, Duration keepAliveTimeout, SSLContext ssl, String userAgent, int maxRedirects, CookieJar cookieJar, JsonCodec json, ClientEvents events, Path unixSocket, URI proxy, BasicAuth proxyAuth, Headers proxyHeaders, boolean trustEnv, boolean useDnsCache, Duration ttlDnsCache) {

    /** The default {@code User-Agent}: {@code asyncio4j-http/} and the module's version. */
    public static final String DEFAULT_USER_AGENT = "asyncio4j-http/" + Version.OF_MODULE;

    /** How long a cached DNS answer is used by default: aiohttp's {@code ttl_dns_cache=10}. */
    public static final Duration DEFAULT_TTL_DNS_CACHE = Duration.ofSeconds(10);

    /** Checks the values. */
    public ClientOptions {
        headers = headers == null ? new Headers().freeze() : headers.copy().freeze();
        proxyHeaders = proxyHeaders == null ? new Headers().freeze() : proxyHeaders.copy().freeze();
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(json, "json");
        if (limit < 0 || limitPerHost < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (baseUrl != null) {
            baseUrl = io.asyncio4j.http.internal.client.Urls.check(baseUrl, baseUrl.toString(), "http", "https");
        }
        if (proxy != null) {
            proxy = ProxyRoute.check(proxy);
            if (unixSocket != null) {
                throw new IllegalArgumentException("a session connects through a Unix socket or through a proxy, "
                        + "not both");
            }
        }
        if (ttlDnsCache != null && ttlDnsCache.isNegative()) {
            throw new IllegalArgumentException("ttlDnsCache must not be negative: " + ttlDnsCache);
        }
    }

    /** {@return the defaults: aiohttp's (total timeout 5 min, 100 connections, 15 s keep-alive, 10 redirects, a cookie jar, decompression on, no proxy, the environment not read, a DNS cache of 10 s)} */
    public static ClientOptions defaults() {
        return new ClientOptions(null, null, ClientTimeout.defaults(), false, true, 100, 0, Duration.ofSeconds(15), null, DEFAULT_USER_AGENT, 10, CookieJar.create(), JsonCodec.defaultCodec(), null, null, null, null, null, false, true, DEFAULT_TTL_DNS_CACHE);
    }

    /**
     * {@return these options with a base URL}
     * @param url the base URL (absolute, http or https)
     */
    public ClientOptions withBaseUrl(String url) {
        return withBaseUrl(URI.create(url));
    }

    /**
     * {@return these options with another {@code baseUrl}}
     * @param value the URL relative request URLs resolve against, or {@code null}
     */
    public ClientOptions withBaseUrl(URI value) {
        return new ClientOptions(value, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code headers}}
     * @param value header fields sent with every request (a request's own win)
     */
    public ClientOptions withHeaders(Headers value) {
        return new ClientOptions(baseUrl, value, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code timeout}}
     * @param value the timeouts (see {@link ClientTimeout})
     */
    public ClientOptions withTimeout(ClientTimeout value) {
        return new ClientOptions(baseUrl, headers, value, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code raiseForStatus}}
     * @param value whether a status of 400 or more throws {@link ClientResponseError}
     */
    public ClientOptions withRaiseForStatus(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, value, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code autoDecompress}}
     * @param value whether gzip and deflate bodies are decompressed (and asked for)
     */
    public ClientOptions withAutoDecompress(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, value, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code limit}}
     * @param value the most connections in all (0: none), 100 by default
     */
    public ClientOptions withLimit(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, value, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code limitPerHost}}
     * @param value the most connections to one host and port (0: none, the default)
     */
    public ClientOptions withLimitPerHost(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, value, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code keepAliveTimeout}}
     * @param value how long an idle connection is kept, 15 seconds by default
     */
    public ClientOptions withKeepAliveTimeout(Duration value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, value, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code ssl}}
     * @param value the TLS context, or {@code null} for the JDK's default (certificates and host names checked)
     */
    public ClientOptions withSsl(SSLContext value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, value, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code userAgent}}
     * @param value the {@code User-Agent} field, or {@code null} for none
     */
    public ClientOptions withUserAgent(String value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, value, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code maxRedirects}}
     * @param value how many redirects a request follows at most (10)
     */
    public ClientOptions withMaxRedirects(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, value, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code cookieJar}}
     * @param value the cookie jar, or {@code null} for none
     */
    public ClientOptions withCookieJar(CookieJar value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, value, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code json}}
     * @param value the codec of JSON bodies
     */
    public ClientOptions withJson(JsonCodec value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, value, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code events}}
     * @param value the hooks, or {@code null} for none
     */
    public ClientOptions withEvents(ClientEvents value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, value, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code unixSocket}}
     * @param value a Unix socket every connection goes to (the URL's host is still sent), or {@code null}
     */
    public ClientOptions withUnixSocket(Path value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, value, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with an HTTP proxy for every request: aiohttp's {@code proxy=}}
     * Credentials in the URL ({@code http://user:password@proxy:3128}) are sent to the proxy as
     * {@code Proxy-Authorization: Basic} unless {@link #withProxyAuth} gives others. A plain
     * http request goes to the proxy whole ({@code GET http://host/path HTTP/1.1}); an https
     * request, or a WebSocket, goes through a {@code CONNECT} tunnel, with TLS to the origin
     * inside it (the certificate is checked against the origin's name, not the proxy's).
     *
     * @param url the proxy's URL ({@code http://}; an {@code https://} proxy is not supported)
     * @throws InvalidUrlError if it is not an http URL with a host
     */
    public ClientOptions withProxy(String url) {
        return withProxy(url == null ? null : URI.create(url));
    }

    /**
     * {@return these options with another {@code proxy}}
     * @param value the HTTP proxy every request goes through (aiohttp's {@code proxy=}), or {@code null}
     */
    public ClientOptions withProxy(URI value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, value, proxyAuth, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code proxyAuth}: aiohttp's {@code proxy_auth=}}
     * @param value the proxy's credentials, sent as {@code Proxy-Authorization: Basic}, or {@code null} for those in the proxy's URL, if any
     */
    public ClientOptions withProxyAuth(BasicAuth value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, value, proxyHeaders, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code proxyHeaders}: aiohttp's {@code proxy_headers=}}
     * @param value header fields for the proxy: in a plain request through it, and in the {@code CONNECT} of a tunnel
     */
    public ClientOptions withProxyHeaders(Headers value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, value, trustEnv, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code trustEnv}: aiohttp's {@code trust_env=}}
     * With it, a request without a proxy of its own or of the session's takes the one the
     * environment names for its scheme ({@code http_proxy}, {@code https_proxy}, {@code
     * ws_proxy}, {@code wss_proxy}, in lower or upper case, the lower case winning; ws and wss
     * fall back to the http and https ones), unless its host is in {@code no_proxy} (comma
     * separated names, each matching itself and its subdomains; {@code host:port}; IP addresses
     * and networks; {@code *} for every host). Credentials in the proxy's URL are used, else
     * {@link #proxyAuth()}. The environment is read when the session opens; it is not read for a
     * session on a Unix socket.
     *
     * @param value whether {@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code WS_PROXY}, {@code WSS_PROXY} and {@code NO_PROXY} choose the proxy when none is given (false)
     */
    public ClientOptions withTrustEnv(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, value, useDnsCache, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code useDnsCache}: aiohttp's {@code use_dns_cache=}}
     * With the cache, a host's addresses are resolved once per {@link #ttlDnsCache()} and
     * requests that connect to it meanwhile share the lookup (while one runs, the others wait for
     * it); a failed lookup is not cached. Without, every new connection resolves.
     *
     * @param value whether resolved addresses are cached per host and port (true)
     */
    public ClientOptions withUseDnsCache(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, value, ttlDnsCache);
    }

    /**
     * {@return these options with another {@code ttlDnsCache}: aiohttp's {@code ttl_dns_cache=}}
     * Expiry follows the loop's clock ({@link io.asyncio4j.EventLoop#time()}).
     *
     * @param value how long a cached answer is used, 10 seconds by default, or {@code null} for as long as the session lives
     */
    public ClientOptions withTtlDnsCache(Duration value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket, proxy, proxyAuth, proxyHeaders, trustEnv, useDnsCache, value);
    }

}
