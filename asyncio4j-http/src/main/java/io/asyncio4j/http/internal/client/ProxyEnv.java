package io.asyncio4j.http.internal.client;

import io.asyncio4j.http.client.InvalidUrlError;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies the environment names, read as Python's {@code urllib.request.getproxies()} reads
 * them (which aiohttp's {@code trust_env=True} uses): {@code HTTP_PROXY}, {@code HTTPS_PROXY},
 * {@code WS_PROXY}, {@code WSS_PROXY} and {@code NO_PROXY}, in upper or lower case, the lower
 * case one winning, an empty value counting as unset; {@code HTTP_PROXY} in upper case is ignored
 * when {@code REQUEST_METHOD} is set (a CGI program, whose environment a client's
 * {@code Proxy:} header can set: CVE-2016-1000110).
 *
 * <p>Where aiohttp differs from curl, and this class takes a side: a value without a scheme
 * ({@code proxy:3128}) means {@code http://} (curl, requests); an {@code https://} proxy, or a
 * value that is not a URL, is ignored with a warning (aiohttp); {@code ALL_PROXY} is ignored
 * (aiohttp); a ws:// URL without {@code WS_PROXY} uses {@code HTTP_PROXY}, a wss:// one without
 * {@code WSS_PROXY} uses {@code HTTPS_PROXY} (aiohttp has no such fallback, but a WebSocket goes
 * wherever its http(s) twin would).
 *
 * @param proxies the proxy per scheme ({@code http}, {@code https}, {@code ws}, {@code wss})
 * @param noProxy the hosts reached directly
 */
public record ProxyEnv(Map<String, URI> proxies, NoProxy noProxy) {
    private static final System.Logger LOG = System.getLogger(ProxyEnv.class.getName());

    /** No proxy at all. */
    public static final ProxyEnv NONE = new ProxyEnv(Map.of(), NoProxy.NONE);

    /** Copies the map. */
    public ProxyEnv {
        proxies = Map.copyOf(proxies);
    }

    /**
     * {@return the proxies an environment names}
     * @param env the environment ({@code System.getenv()}, or a map in tests)
     */
    public static ProxyEnv from(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.length() > 6 && name.regionMatches(true, name.length() - 6, "_proxy", 0, 6)
                    && !name.equals(name.toLowerCase(Locale.ROOT))) {
                values.put(name.substring(0, name.length() - 6).toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        if (env.containsKey("REQUEST_METHOD")) {
            values.remove("http");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.length() > 6 && name.endsWith("_proxy") && name.equals(name.toLowerCase(Locale.ROOT))) {
                values.put(name.substring(0, name.length() - 6), e.getValue());
            }
        }
        Map<String, URI> proxies = new HashMap<>();
        for (String scheme : new String[] {"http", "https", "ws", "wss"}) {
            String v = values.get(scheme);
            if (v == null || v.isBlank()) {
                continue;
            }
            URI u = parse(scheme, v.trim());
            if (u != null) {
                proxies.put(scheme, u);
            }
        }
        if (!proxies.containsKey("ws") && proxies.containsKey("http")) {
            proxies.put("ws", proxies.get("http"));
        }
        if (!proxies.containsKey("wss") && proxies.containsKey("https")) {
            proxies.put("wss", proxies.get("https"));
        }
        String no = values.get("no");
        return proxies.isEmpty() ? NONE : new ProxyEnv(proxies, NoProxy.parse(no));
    }

    private static URI parse(String scheme, String value) {
        String v = value.contains("://") ? value : "http://" + value;
        try {
            return ProxyRoute.check(URI.create(v));
        } catch (IllegalArgumentException e) { // InvalidUrlError is one
            LOG.log(System.Logger.Level.WARNING, () -> scheme.toUpperCase(Locale.ROOT) + "_PROXY is ignored: "
                    + (e instanceof InvalidUrlError ? e.getMessage() : "not a URL"));
            return null;
        }
    }

    /**
     * {@return the proxy for a request URL, or {@code null} to go directly (none for its scheme, or
     * its host is in {@code NO_PROXY})}
     * @param url the request's URL (http, https, ws or wss)
     */
    public URI proxyFor(URI url) {
        URI p = proxies.get(url.getScheme());
        if (p == null || noProxy.matches(Urls.host(url), Urls.port(url))) {
            return null;
        }
        return p;
    }

    /** Names the proxies, never their credentials. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProxyEnv[");
        proxies.forEach((k, v) -> sb.append(k).append('=').append(v.getHost()).append(':').append(v.getPort())
                .append(' '));
        return sb.append(noProxy).append(']').toString();
    }
}
