package io.asyncio4j.http;

import io.asyncio4j.http.internal.h1.HttpDate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cookie to set (RFC 6265 §4.1): a name, a value and the attributes of {@code Set-Cookie}.
 * Start from {@link #of(String, String)} and add attributes with the {@code with} methods.
 *
 * {@snippet :
 * response.setCookie(Cookie.of("session", token).withHttpOnly(true).withSecure(true)
 *         .withSameSite("Lax").withMaxAge(Duration.ofHours(8)));
 * }
 *
 * @param name the name, a token
 * @param value the value: cookie-octets only (no space, comma, semicolon, quote, backslash or
 *     control character; encode anything else)
 * @param domain the {@code Domain} attribute, or {@code null}
 * @param path the {@code Path} attribute, or {@code null}
 * @param maxAge the {@code Max-Age} attribute, or {@code null}
 * @param expires the {@code Expires} attribute, or {@code null}
 * @param secure the {@code Secure} attribute
 * @param httpOnly the {@code HttpOnly} attribute
 * @param sameSite the {@code SameSite} attribute ({@code Strict}, {@code Lax} or {@code None}), or
 *     {@code null}
 */
public record Cookie(String name, String value, String domain, String path, Duration maxAge, Instant expires,
                     boolean secure, boolean httpOnly, String sameSite) {

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the name is not a token, the value has a character
     *     outside cookie-octet, or an attribute has a control character or ';'
     */
    public Cookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!io.asyncio4j.http.internal.h1.Ascii.isToken(name)) {
            throw new IllegalArgumentException("a cookie name must be a token: '" + name + "'");
        }
        String v = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean octet = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a)
                    || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
            if (!octet) {
                throw new IllegalArgumentException("a cookie value may not hold '" + c + "' (RFC 6265 cookie-octet): "
                        + "encode it, e.g. with URL encoding");
            }
        }
        checkAttribute("Domain", domain);
        checkAttribute("Path", path);
        if (sameSite != null && !(sameSite.equals("Strict") || sameSite.equals("Lax") || sameSite.equals("None"))) {
            throw new IllegalArgumentException("SameSite must be Strict, Lax or None: " + sameSite);
        }
    }

    private static void checkAttribute(String what, String v) {
        if (v == null) {
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ';' || c > 0xff) {
                throw new IllegalArgumentException("a cookie's " + what + " may not hold '" + c + "'");
            }
        }
    }

    /**
     * {@return a cookie with no attributes (a session cookie)}
     * @param name the name
     * @param value the value
     */
    public static Cookie of(String name, String value) {
        return new Cookie(name, value, null, null, null, null, false, false, null);
    }

    /**
     * {@return this cookie with a Domain}
     * @param domain the domain
     */
    public Cookie withDomain(String domain) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, httpOnly, sameSite);
    }

    /**
     * {@return this cookie with a Path}
     * @param path the path
     */
    public Cookie withPath(String path) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, httpOnly, sameSite);
    }

    /**
     * {@return this cookie with a Max-Age}
     * @param maxAge the lifetime (zero deletes it)
     */
    public Cookie withMaxAge(Duration maxAge) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, httpOnly, sameSite);
    }

    /**
     * {@return this cookie with Expires}
     * @param expires when it expires
     */
    public Cookie withExpires(Instant expires) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, httpOnly, sameSite);
    }

    /**
     * {@return this cookie with Secure set or not}
     * @param on whether to send it over HTTPS only
     */
    public Cookie withSecure(boolean on) {
        return new Cookie(name, value, domain, path, maxAge, expires, on, httpOnly, sameSite);
    }

    /**
     * {@return this cookie with HttpOnly set or not}
     * @param on whether scripts may not read it
     */
    public Cookie withHttpOnly(boolean on) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, on, sameSite);
    }

    /**
     * {@return this cookie with SameSite}
     * @param sameSite Strict, Lax or None
     */
    public Cookie withSameSite(String sameSite) {
        return new Cookie(name, value, domain, path, maxAge, expires, secure, httpOnly, sameSite);
    }

    /** {@return the {@code Set-Cookie} field value} */
    public String toSetCookie() {
        StringBuilder b = new StringBuilder(name).append('=').append(value);
        if (expires != null) {
            b.append("; Expires=").append(HttpDate.format(expires));
        }
        if (maxAge != null) {
            b.append("; Max-Age=").append(Math.max(0, maxAge.toSeconds()));
        }
        if (domain != null) {
            b.append("; Domain=").append(domain);
        }
        if (path != null) {
            b.append("; Path=").append(path);
        }
        if (secure) {
            b.append("; Secure");
        }
        if (httpOnly) {
            b.append("; HttpOnly");
        }
        if (sameSite != null) {
            b.append("; SameSite=").append(sameSite);
        }
        return b.toString();
    }

    /**
     * Parses a {@code Cookie} request field ({@code a=1; b=2}): the first value of each name wins;
     * pairs without {@code =} are skipped; values lose their surrounding quotes.
     *
     * @param header the field value, or {@code null}
     * @return the cookies by name, in order
     */
    public static Map<String, String> parseCookieHeader(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String n = pair.substring(0, eq).strip();
            String v = pair.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (!n.isEmpty()) {
                out.putIfAbsent(n, v);
            }
        }
        return out;
    }
}
