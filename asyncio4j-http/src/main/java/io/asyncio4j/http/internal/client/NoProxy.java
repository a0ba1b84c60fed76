package io.asyncio4j.http.internal.client;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts a {@code NO_PROXY} value sends directly, matched as Python's {@code urllib} and
 * requests match them (which aiohttp's {@code trust_env} uses): entries separated by commas (or
 * spaces), case-insensitive; {@code *} alone matches every host; a name matches itself and every
 * host under it ({@code example.com} and {@code .example.com} both match {@code example.com} and
 * {@code api.example.com}, not {@code badexample.com}); {@code *.example.com} is read as
 * {@code .example.com}; an entry with a port ({@code host:8080}, {@code [::1]:8080}) matches that
 * port only; an IP literal matches that address; {@code 10.0.0.0/8} or {@code fd00::/8} matches
 * the addresses in the network (requests does this, urllib does not). Entries that cannot be read
 * are ignored.
 *
 * @param all whether every host goes directly ({@code *})
 * @param rules the entries
 */
public record NoProxy(boolean all, List<Rule> rules) {

    /** No entry: every host goes through the proxy. */
    public static final NoProxy NONE = new NoProxy(false, List.of());

    /**
     * One entry.
     *
     * @param name the host name (lower case, no leading or trailing dots), or {@code null} for an address rule
     * @param address the address bytes of an IP literal or a network, or {@code null} for a name
     * @param prefix the network's prefix length in bits (the full length for one address)
     * @param port the port the entry is limited to, or -1 for any
     */
    public record Rule(String name, byte[] address, int prefix, int port) {
    }

    /** Copies the rules. */
    public NoProxy {
        rules = List.copyOf(rules);
    }

    /**
     * {@return the rules of a {@code NO_PROXY} value}
     * @param value the value, or {@code null}
     */
    public static NoProxy parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String raw : value.trim().split("[,\\s]+")) {
            String e = raw.toLowerCase(Locale.ROOT);
            if (e.equals("*")) {
                return new NoProxy(true, List.of());
            }
            Rule r = rule(e);
            if (r != null) {
                rules.add(r);
            }
        }
        return new NoProxy(false, rules);
    }

    private static Rule rule(String e) {
        if (e.startsWith("*.")) {
            e = e.substring(1);
        }
        int port = -1;
        String host;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1));
                if (port < 0) {
                    return null;
                }
            } else if (!rest.isEmpty() && !rest.startsWith("/")) {
                return null;
            } else {
                host += rest; // [fd00::]/8
            }
        } else {
            int colon = e.indexOf(':');
            if (colon >= 0 && colon == e.lastIndexOf(':')) {
                port = port(e.substring(colon + 1)); // host:port (an IPv6 literal has more colons)
                if (port < 0) {
                    return null;
                }
                host = e.substring(0, colon);
            } else {
                host = e;
            }
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] a = literal(host.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(host.substring(slash + 1));
            } catch (NumberFormatException x) {
                return null;
            }
            if (a == null || bits < 0 || bits > a.length * 8) {
                return null;
            }
            return new Rule(null, a, bits, port);
        }
        byte[] a = literal(host);
        if (a != null) {
            return new Rule(null, a, a.length * 8, port);
        }
        String name = trimDots(host);
        return name.isEmpty() ? null : new Rule(name, null, 0, port);
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] literal(String s) {
        if (s.isEmpty() || !(Character.digit(s.charAt(0), 16) >= 0 || s.charAt(0) == ':')) {
            return null; // not worth an exception: a name
        }
        try {
            return InetAddress.ofLiteral(s).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String trimDots(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '.') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '.') {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * {@return whether a request to this host and port goes directly, not through the proxy}
     * @param host the URL's host (an IPv6 literal with or without brackets)
     * @param port the URL's port (the scheme's default when it has none)
     */
    public boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        if (rules.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        byte[] a = literal(h);
        String name = a == null ? trimDots(h) : null;
        for (Rule r : rules) {
            if (r.port() >= 0 && r.port() != port) {
                continue;
            }
            if (r.name() != null) {
                if (name != null && (name.equals(r.name()) || name.endsWith("." + r.name()))) {
                    return true;
                }
            } else if (a != null && inNetwork(a, r.address(), r.prefix())) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNetwork(byte[] a, byte[] network, int prefix) {
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return all ? "NoProxy[*]" : "NoProxy" + rules.stream().map(r -> (r.name() != null ? r.name()
                : r.prefix() + "-bit network") + (r.port() >= 0 ? ":" + r.port() : "")).toList();
    }
}
