package io.asyncio4j.http.client;

import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.internal.h1.HttpDate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A session's cookies (RFC 6265): aiohttp's {@code CookieJar}. Cookies from {@code Set-Cookie}
 * are stored per domain and path and sent back to matching URLs: host-only cookies (no
 * {@code Domain}) to their host only, domain cookies to the domain and its subdomains,
 * {@code Secure} ones over https only, expired ones never (and removed). A cookie whose
 * {@code Domain} does not domain-match the host that set it is refused, and by default so is
 * every cookie set by an IP address, as aiohttp does: {@link #unsafe()} accepts those.
 *
 * <p>Loop thread only, like the session that uses it.
 */
public final class CookieJar {
    private final boolean unsafe;
    private final Clock clock;
    private final Map<String, Stored> cookies = new LinkedHashMap<>();

    private record Stored(String name, String value, String domain, boolean hostOnly, String path, boolean secure,
                          boolean httpOnly, Instant expires, long order) {
        String id() {
            return domain + ";" + path + ";" + name;
        }
    }

    private long order;

    private CookieJar(boolean unsafe, Clock clock) {
        this.unsafe = unsafe;
        this.clock = clock;
    }

    /** {@return an empty jar that refuses cookies from IP addresses} */
    public static CookieJar create() {
        return new CookieJar(false, Clock.systemUTC());
    }

    /** {@return an empty jar that also keeps cookies set by IP addresses (aiohttp's {@code unsafe=True})} */
    public static CookieJar unsafe() {
        return new CookieJar(true, Clock.systemUTC());
    }

    /**
     * {@return an empty jar that reads the time from a clock (for tests of expiry)}
     * @param unsafe whether IP hosts may set cookies
     * @param clock the clock
     */
    public static CookieJar withClock(boolean unsafe, Clock clock) {
        return new CookieJar(unsafe, clock);
    }

    /**
     * Stores the cookies of a response's {@code Set-Cookie} fields. Malformed or refused ones are
     * ignored, as browsers do. Never suspends.
     *
     * @param url the URL that answered
     * @param setCookieValues the fields' values
     */
    public void update(URI url, List<String> setCookieValues) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        boolean ip = isIp(host);
        if (ip && !unsafe) {
            return;
        }
        for (String v : setCookieValues) {
            Stored s = parse(v, host, ip, defaultPath(url));
            if (s == null) {
                continue;
            }
            cookies.remove(s.id());
            if (s.expires() == null || s.expires().isAfter(clock.instant())) {
                cookies.put(s.id(), s);
            }
        }
    }

    /**
     * Adds a cookie as if the URL had set it. Never suspends.
     *
     * @param url the URL
     * @param cookie the cookie
     */
    public void add(URI url, Cookie cookie) {
        update(url, List.of(cookie.toSetCookie()));
    }

    /**
     * {@return the {@code Cookie} field for a request to a URL, or {@code null} when no cookie
     * matches}; longer paths first, then older cookies first, as RFC 6265 §5.4 says
     * @param url the URL
     */
    public String cookieHeader(URI url) {
        if (cookies.isEmpty()) {
            return null;
        }
        List<Stored> match = matching(url);
        if (match.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Stored s : match) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(s.name()).append('=').append(s.value());
        }
        return sb.toString();
    }

    private List<Stored> matching(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        boolean secure = url.getScheme().equals("https") || url.getScheme().equals("wss");
        Instant now = clock.instant();
        List<Stored> out = new ArrayList<>();
        cookies.values().removeIf(s -> s.expires() != null && !s.expires().isAfter(now));
        for (Stored s : cookies.values()) {
            boolean domainOk = s.hostOnly() ? host.equals(s.domain()) : domainMatch(host, s.domain());
            if (domainOk && pathMatch(path, s.path()) && (!s.secure() || secure)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingInt((Stored s) -> -s.path().length()).thenComparingLong(Stored::order));
        return out;
    }

    /** {@return the cookies stored now (expired ones removed), as {@link Cookie}s} */
    public List<Cookie> cookies() {
        Instant now = clock.instant();
        cookies.values().removeIf(s -> s.expires() != null && !s.expires().isAfter(now));
        List<Cookie> out = new ArrayList<>();
        for (Stored s : cookies.values()) {
            out.add(Cookie.of(s.name(), s.value()).withDomain(s.hostOnly() ? null : s.domain()).withPath(s.path())
                    .withSecure(s.secure()).withHttpOnly(s.httpOnly()).withExpires(s.expires()));
        }
        return out;
    }

    /** {@return how many cookies are stored} */
    public int size() {
        return cookies.size();
    }

    /** Forgets every cookie. Never suspends. */
    public void clear() {
        cookies.clear();
    }

    private Stored parse(String header, String host, boolean ip, String defaultPath) {
        String[] parts = header.split(";");
        String pair = parts[0];
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return null; // RFC 6265 §5.2: no name (or no '='): ignore
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (name.isEmpty() || !io.asyncio4j.http.internal.h1.Ascii.isToken(name)) {
            return null;
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c == '"' || c == ',' || c == ';' || c == '\\' || c > 0x7e) {
                return null; // not a cookie-octet: it could not be sent back in a Cookie field
            }
        }
        String domain = null;
        String path = null;
        boolean secure = false;
        boolean httpOnly = false;
        Instant expires = null;
        Duration maxAge = null;
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i].trim();
            int e = a.indexOf('=');
            String an = (e < 0 ? a : a.substring(0, e)).trim().toLowerCase(Locale.ROOT);
            String av = e < 0 ? "" : a.substring(e + 1).trim();
            switch (an) {
                case "domain" -> {
                    if (!av.isEmpty()) {
                        domain = (av.startsWith(".") ? av.substring(1) : av).toLowerCase(Locale.ROOT);
                    }
                }
                case "path" -> path = av.startsWith("/") ? av : null;
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                case "max-age" -> {
                    try {
                        long s = Long.parseLong(av);
                        maxAge = Duration.ofSeconds(Math.max(s, 0));
                    } catch (NumberFormatException ignored) {
                        // RFC 6265 §5.2.2: an invalid Max-Age is ignored
                    }
                }
                case "expires" -> {
                    Instant t = HttpDate.parse(av);
                    if (t != null) {
                        expires = t;
                    }
                }
                default -> {
                    // SameSite and extensions: nothing a client enforces here
                }
            }
        }
        if (maxAge != null) {
            expires = maxAge.isZero() ? Instant.EPOCH : clock.instant().plus(maxAge); // Max-Age wins (§5.3)
        }
        boolean hostOnly;
        if (domain == null) {
            hostOnly = true;
            domain = host;
        } else {
            if (ip ? !domain.equals(host) : !domainMatch(host, domain)) {
                return null; // a Domain the host does not belong to
            }
            hostOnly = ip;
        }
        return new Stored(name, value, domain, hostOnly, path != null ? path : defaultPath, secure, httpOnly, expires,
                order++);
    }

    private static String defaultPath(URI url) {
        String p = url.getRawPath();
        if (p == null || !p.startsWith("/")) {
            return "/";
        }
        int last = p.lastIndexOf('/');
        return last == 0 ? "/" : p.substring(0, last);
    }

    static boolean domainMatch(String host, String domain) {
        return host.equals(domain) || (host.endsWith("." + domain) && !isIp(host));
    }

    static boolean pathMatch(String path, String cookiePath) {
        if (path.equals(cookiePath)) {
            return true;
        }
        return path.startsWith(cookiePath) && (cookiePath.endsWith("/") || path.charAt(cookiePath.length()) == '/');
    }

    static boolean isIp(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
