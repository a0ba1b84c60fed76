package io.asyncio4j.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Params;
import io.asyncio4j.http.client.InvalidUrlError;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * URL handling for the client: parsing what a user types (unsafe characters are percent-encoded,
 * existing escapes kept, as yarl does), query parameters, the request target, origins.
 */
public final class Urls {
    private Urls() {
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** RFC 3986 unreserved characters: never encoded. */
    private static final boolean[] UNRESERVED = new boolean[128];
    /** Characters kept as they are in a URL given whole (reserved and unreserved, and '%'). */
    private static final boolean[] URL_SAFE = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, URL_SAFE, 0, 128);
        for (char c : ":/?#[]@!$&'()*+,;=%".toCharArray()) {
            URL_SAFE[c] = true;
        }
    }

    /**
     * Parses an absolute http(s) URL, or one relative to a base; characters a URL may not hold
     * (spaces, non-ASCII) are percent-encoded as UTF-8, a {@code %} not followed by two hex
     * digits becomes {@code %25}, a non-ASCII host becomes its IDNA form.
     *
     * @param base the base URL, or {@code null}
     * @param url the URL as given
     * @param schemes the schemes allowed (lower case)
     * @return the URL
     * @throws InvalidUrlError if it is not an absolute URL of an allowed scheme with a host
     */
    public static URI parse(URI base, String url, String... schemes) {
        URI u;
        try {
            u = new URI(escape(url));
        } catch (URISyntaxException e) {
            throw new InvalidUrlError(url, "not a URL (" + e.getReason() + ")");
        }
        if (!u.isAbsolute()) {
            if (base == null) {
                throw new InvalidUrlError(url, "a relative URL needs the session's base URL");
            }
            u = base.resolve(u);
        }
        return check(u, url, schemes);
    }

    /**
     * {@return a URL checked for a scheme in the list and a host, its scheme and host in lower case}
     * @param u the URL
     * @param given the URL as given, for the error
     * @param schemes the allowed schemes
     */
    public static URI check(URI u, String given, String... schemes) {
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = false;
        for (String s : schemes) {
            ok |= s.equals(scheme);
        }
        if (!ok) {
            throw new InvalidUrlError(given, "the scheme must be one of " + String.join(", ", schemes));
        }
        String host = u.getHost();
        if (host == null) {
            String auth = u.getRawAuthority();
            if (auth == null || auth.isEmpty()) {
                throw new InvalidUrlError(given, "no host");
            }
            // a host URI could not parse as a server name (IDN): convert it
            int at = auth.lastIndexOf('@');
            String hostPort = auth.substring(at + 1);
            int colon = hostPort.lastIndexOf(':');
            String h = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
            try {
                String ascii = IDN.toASCII(Params.decode(h, false, UTF_8), IDN.ALLOW_UNASSIGNED);
                u = new URI(scheme, (at >= 0 ? auth.substring(0, at + 1) : "") + ascii
                        + (colon > 0 ? hostPort.substring(colon) : ""), null, null, null)
                        .resolve(new URI(null, null, u.getRawPath(), null)).resolve(u.getRawQuery() == null ? ""
                                : "?" + u.getRawQuery());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new InvalidUrlError(given, "the host is not a valid name");
            }
            if (u.getHost() == null) {
                throw new InvalidUrlError(given, "the host is not a valid name");
            }
        }
        if (!u.getScheme().equals(scheme) || !u.getHost().equals(u.getHost().toLowerCase(Locale.ROOT))) {
            try {
                u = new URI(scheme + u.toString().substring(u.getScheme().length()));
                String lower = u.getHost().toLowerCase(Locale.ROOT);
                if (!lower.equals(u.getHost())) {
                    String s = u.toString();
                    int i = s.indexOf(u.getHost(), scheme.length() + 3);
                    u = new URI(s.substring(0, i) + lower + s.substring(i + lower.length()));
                }
            } catch (URISyntaxException e) {
                throw new InvalidUrlError(given, e.getReason());
            }
        }
        return u;
    }

    /** Percent-encodes what a URL may not hold, keeping valid escapes. */
    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep = c < 128 && URL_SAFE[c] && (c != '%' || io.asyncio4j.http.internal.h1.Ascii.hexPair(s, i + 1) >= 0);
            if (keep) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                encode(out, s.substring(i, i + 2));
                i++;
            } else {
                encode(out, String.valueOf(c));
            }
        }
        return out == null ? s : out.toString();
    }

    private static void encode(StringBuilder out, String chars) {
        for (byte b : chars.getBytes(UTF_8)) {
            out.append('%').append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
        }
    }

    /**
     * Percent-encodes a query or form component: everything but the unreserved characters, as
     * UTF-8; a space becomes {@code +} in a form and {@code %20} in a query.
     *
     * @param out where to append
     * @param s the name or value
     * @param form whether this is a form body
     */
    public static void encodeComponent(StringBuilder out, String s, boolean form) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128 && UNRESERVED[c]) {
                out.append(c);
            } else if (c == ' ' && form) {
                out.append('+');
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                encode(out, s.substring(i, i + 2));
                i++;
            } else {
                encode(out, String.valueOf(c));
            }
        }
    }

    /**
     * {@return the pairs encoded as {@code a=1&b=2}}
     * @param params the pairs
     * @param form whether for a form body ({@code +} for spaces)
     */
    public static String encode(Params params, boolean form) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                sb.append('&');
            }
            encodeComponent(sb, params.name(i), form);
            sb.append('=');
            encodeComponent(sb, params.value(i), form);
        }
        return sb.toString();
    }

    /**
     * {@return the URL with parameters appended to its query}
     * @param u the URL
     * @param params the parameters, maybe empty
     */
    public static URI withParams(URI u, Params params) {
        if (params == null || params.isEmpty()) {
            return u;
        }
        String q = encode(params, false);
        String raw = u.getRawQuery();
        String s = u.toString();
        int hash = s.indexOf('#');
        String noFragment = hash >= 0 ? s.substring(0, hash) : s;
        return URI.create(noFragment + (raw == null ? "?" : raw.isEmpty() ? "" : "&") + q);
    }

    /**
     * {@return the request target: the raw path ({@code /} when empty) and query}
     * @param u the URL
     */
    public static String target(URI u) {
        String path = u.getRawPath();
        String q = u.getRawQuery();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        return q == null ? path : path + "?" + q;
    }

    /**
     * {@return the port, the scheme's default when the URL has none}
     * @param u the URL
     */
    public static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return isSecure(u) ? 443 : 80;
    }

    /**
     * {@return whether the scheme is https or wss}
     * @param u the URL
     */
    public static boolean isSecure(URI u) {
        String s = u.getScheme();
        return s.equals("https") || s.equals("wss");
    }

    /**
     * {@return the host without IPv6 brackets}
     * @param u the URL
     */
    public static String host(URI u) {
        String h = u.getHost();
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /**
     * {@return the Host field's value: the host, and the port unless it is the scheme's default}
     * @param u the URL
     */
    public static String hostHeader(URI u) {
        String h = u.getHost();
        int p = u.getPort();
        return p < 0 || p == (isSecure(u) ? 443 : 80) ? h : h + ":" + p;
    }

    /**
     * {@return whether two URLs have the same origin (scheme, host, port)}
     * @param a one
     * @param b the other
     */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && host(a).equals(host(b)) && port(a) == port(b);
    }
}
