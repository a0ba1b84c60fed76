package io.asyncio4j.http.internal.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.client.BasicAuth;
import io.asyncio4j.http.client.InvalidUrlError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The HTTP proxy a request goes through: where it is, the {@code Proxy-Authorization} value its
 * credentials make, and the extra fields it is sent. It is part of a {@link PoolKey}: connections
 * made through one proxy with other credentials or other fields are not interchangeable (a
 * tunnel was opened with them).
 *
 * @param url the proxy's URL without credentials, for messages
 * @param host the proxy's host (lower case; an IPv6 literal without brackets)
 * @param port the proxy's port (80 when the URL has none)
 * @param authorization the {@code Proxy-Authorization} value, or {@code null} for none
 * @param headers the extra fields for the proxy (read-only), maybe empty
 */
public record ProxyRoute(URI url, String host, int port, String authorization, Headers headers) {

    /**
     * Makes the route to a proxy. The credentials are the given ones, else those of the URL
     * ({@code http://user:password@proxy:3128}), as aiohttp takes them.
     *
     * @param proxy the proxy's URL, checked by {@link #check}
     * @param auth the credentials, or {@code null} for those of the URL, if any
     * @param headers the extra fields, or {@code null}
     * @return the route
     */
    public static ProxyRoute of(URI proxy, BasicAuth auth, Headers headers) {
        if (auth == null && proxy.getRawUserInfo() != null) {
            String info = proxy.getRawUserInfo();
            int colon = info.indexOf(':');
            auth = new BasicAuth(Params.decode(colon < 0 ? info : info.substring(0, colon), false,
                    StandardCharsets.UTF_8), colon < 0 ? "" : Params.decode(info.substring(colon + 1), false,
                    StandardCharsets.UTF_8));
        }
        String host = Urls.host(proxy).toLowerCase(Locale.ROOT);
        int port = proxy.getPort() >= 0 ? proxy.getPort() : 80;
        URI bare = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
        Headers h = headers == null || headers.isEmpty() ? Headers.of().freeze() : headers.copy().freeze();
        return new ProxyRoute(bare, host, port, auth == null ? null : auth.encode(), h);
    }

    /**
     * Checks a proxy URL: {@code http://} with a host. An {@code https://} proxy (TLS to the proxy
     * itself) is refused with a message saying so; https requests through an http proxy are
     * encrypted end to end in a CONNECT tunnel anyway.
     *
     * @param proxy the URL
     * @return the URL, its scheme and host in lower case
     * @throws InvalidUrlError if it is not an http URL with a host
     */
    public static URI check(URI proxy) {
        String scheme = proxy.getScheme() == null ? "" : proxy.getScheme().toLowerCase(Locale.ROOT);
        // an error names the URL: never with its password
        String shown = proxy.getRawUserInfo() == null ? proxy.toString()
                : proxy.toString().replace(proxy.getRawUserInfo() + "@", "***@");
        if (scheme.equals("https")) {
            throw new InvalidUrlError(shown, "a proxy is reached over http:// (TLS to the proxy "
                    + "itself is not supported); https requests still go through it in an encrypted CONNECT tunnel");
        }
        return Urls.check(proxy, shown, "http");
    }

    /**
     * {@return this route without its extra fields: the key of plain connections to the proxy,
     * where the fields go in each request, not in the connection}
     */
    public ProxyRoute withoutHeaders() {
        return headers.isEmpty() ? this : new ProxyRoute(url, host, port, authorization, Headers.of().freeze());
    }

    /** Names the proxy, never its credentials. */
    @Override
    public String toString() {
        return url + (authorization != null ? " (with credentials)" : "");
    }
}
