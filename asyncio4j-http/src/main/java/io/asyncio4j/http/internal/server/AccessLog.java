package io.asyncio4j.http.internal.server;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The access log in aiohttp's format ({@code %a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"} by
 * default), one INFO line per request on the logger {@code io.asyncio4j.http.access}. The format
 * is compiled once; nothing is formatted when INFO is off for that logger.
 */
final class AccessLog {
    static final Logger LOG = System.getLogger("io.asyncio4j.http.access");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'",
            Locale.US).withZone(ZoneOffset.UTC);

    /** One piece of the format. */
    private interface Part {
        void append(StringBuilder b, Exchange x, int status, long nowNs);
    }

    private final List<Part> parts = new ArrayList<>();

    AccessLog(String format) {
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                literal.append(c);
                i++;
                continue;
            }
            char d = format.charAt(i + 1);
            Part p;
            int next = i + 2;
            switch (d) {
                case 'a' -> p = (b, x, s, n) -> b.append(x.request.remote());
                case 't' -> p = (b, x, s, n) -> b.append(TIME.format(Instant.now()));
                case 'P' -> p = (b, x, s, n) -> b.append("<").append(ProcessHandle.current().pid()).append(">");
                case 'r' -> p = (b, x, s, n) -> b.append(x.head.method()).append(' ').append(x.head.target())
                        .append(' ').append(x.head.version().text());
                case 's' -> p = (b, x, s, n) -> b.append(s);
                case 'b' -> p = (b, x, s, n) -> b.append(x.bytesSent());
                case 'T' -> {
                    if (format.startsWith("Tf", i + 1)) {
                        next = i + 3;
                        p = (b, x, s, n) -> b.append(String.format(Locale.ROOT, "%.6f", (n - x.startNs) / 1e9));
                    } else {
                        p = (b, x, s, n) -> b.append((n - x.startNs) / 1_000_000_000L);
                    }
                }
                case 'D' -> p = (b, x, s, n) -> b.append((n - x.startNs) / 1000);
                case '%' -> p = (b, x, s, n) -> b.append('%');
                case '{' -> {
                    int close = format.indexOf('}', i);
                    if (close < 0 || close + 1 >= format.length()) {
                        throw new IllegalArgumentException("an unclosed %{ in the access log format: " + format);
                    }
                    String name = format.substring(i + 2, close);
                    char kind = format.charAt(close + 1);
                    next = close + 2;
                    if (kind == 'i') {
                        p = (b, x, s, n) -> {
                            String v = x.head.headers().get(name);
                            b.append(v == null ? "-" : v);
                        };
                    } else if (kind == 'o') {
                        p = (b, x, s, n) -> b.append('-'); // response headers are not kept once sent
                    } else {
                        throw new IllegalArgumentException("unknown access log directive %{" + name + "}" + kind);
                    }
                }
                default -> throw new IllegalArgumentException("unknown access log directive %" + d + " in " + format);
            }
            if (!literal.isEmpty()) {
                String lit = literal.toString();
                parts.add((b, x, s, n) -> b.append(lit));
                literal.setLength(0);
            }
            parts.add(p);
            i = next;
        }
        if (!literal.isEmpty()) {
            String lit = literal.toString();
            parts.add((b, x, s, n) -> b.append(lit));
        }
    }

    void log(Exchange x, int status) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        long now = System.nanoTime();
        StringBuilder b = new StringBuilder(128);
        for (Part p : parts) {
            p.append(b, x, status, now);
        }
        LOG.log(Level.INFO, b.toString());
    }
}
