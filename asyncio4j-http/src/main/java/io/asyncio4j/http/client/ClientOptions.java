package io.asyncio4j.http.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.internal.client.Version;
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
 */
public record ClientOptions(java.net.URI baseUrl, Headers headers, ClientTimeout timeout, boolean raiseForStatus, boolean autoDecompress, int limit, int limitPerHost, Duration keepAliveTimeout, SSLContext ssl, String userAgent, int maxRedirects, CookieJar cookieJar, JsonCodec json, ClientEvents events, Path unixSocket) {

    /** The default {@code User-Agent}: {@code asyncio4j-http/} and the module's version. */
    public static final String DEFAULT_USER_AGENT = "asyncio4j-http/" + Version.OF_MODULE;

    /** Checks the values. */
    public ClientOptions {
        headers = headers == null ? new Headers().freeze() : headers.copy().freeze();
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(json, "json");
        if (limit < 0 || limitPerHost < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (baseUrl != null) {
            baseUrl = io.asyncio4j.http.internal.client.Urls.check(baseUrl, baseUrl.toString(), "http", "https");
        }
    }

    /** {@return the defaults: aiohttp's (total timeout 5 min, 100 connections, 15 s keep-alive, 10 redirects, a cookie jar, decompression on)} */
    public static ClientOptions defaults() {
        return new ClientOptions(null, null, ClientTimeout.defaults(), false, true, 100, 0, Duration.ofSeconds(15),
                null, DEFAULT_USER_AGENT, 10, CookieJar.create(), JsonCodec.defaultCodec(), null, null);
    }

    /**
     * {@return these options with a base URL}
     * @param url the base URL (absolute, http or https)
     */
    public ClientOptions withBaseUrl(String url) {
        return withBaseUrl(java.net.URI.create(url));
    }

    /**
     * {@return these options with another {@code baseUrl}}
     * @param value the URL relative request URLs resolve against, or {@code null}
     */
    public ClientOptions withBaseUrl(java.net.URI value) {
        return new ClientOptions(value, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code headers}}
     * @param value header fields sent with every request (a request's own win)
     */
    public ClientOptions withHeaders(Headers value) {
        return new ClientOptions(baseUrl, value, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code timeout}}
     * @param value the timeouts (see {@link ClientTimeout})
     */
    public ClientOptions withTimeout(ClientTimeout value) {
        return new ClientOptions(baseUrl, headers, value, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code raiseForStatus}}
     * @param value whether a status of 400 or more throws {@link ClientResponseError}
     */
    public ClientOptions withRaiseForStatus(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, value, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code autoDecompress}}
     * @param value whether gzip and deflate bodies are decompressed (and asked for)
     */
    public ClientOptions withAutoDecompress(boolean value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, value, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code limit}}
     * @param value the most connections in all (0: none), 100 by default
     */
    public ClientOptions withLimit(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, value, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code limitPerHost}}
     * @param value the most connections to one host and port (0: none, the default)
     */
    public ClientOptions withLimitPerHost(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, value, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code keepAliveTimeout}}
     * @param value how long an idle connection is kept, 15 seconds by default
     */
    public ClientOptions withKeepAliveTimeout(Duration value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, value, ssl, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code ssl}}
     * @param value the TLS context, or {@code null} for the JDK's default (certificates and host names checked)
     */
    public ClientOptions withSsl(SSLContext value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, value, userAgent, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code userAgent}}
     * @param value the {@code User-Agent} field, or {@code null} for none
     */
    public ClientOptions withUserAgent(String value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, value, maxRedirects, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code maxRedirects}}
     * @param value how many redirects a request follows at most (10)
     */
    public ClientOptions withMaxRedirects(int value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, value, cookieJar, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code cookieJar}}
     * @param value the cookie jar, or {@code null} for none
     */
    public ClientOptions withCookieJar(CookieJar value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, value, json, events, unixSocket);
    }

    /**
     * {@return these options with another {@code json}}
     * @param value the codec of JSON bodies
     */
    public ClientOptions withJson(JsonCodec value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, value, events, unixSocket);
    }

    /**
     * {@return these options with another {@code events}}
     * @param value the hooks, or {@code null} for none
     */
    public ClientOptions withEvents(ClientEvents value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, value, unixSocket);
    }

    /**
     * {@return these options with another {@code unixSocket}}
     * @param value a Unix socket every connection goes to (the URL's host is still sent), or {@code null}
     */
    public ClientOptions withUnixSocket(Path value) {
        return new ClientOptions(baseUrl, headers, timeout, raiseForStatus, autoDecompress, limit, limitPerHost, keepAliveTimeout, ssl, userAgent, maxRedirects, cookieJar, json, events, value);
    }

}
