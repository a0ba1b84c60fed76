package io.asyncio4j.http.internal.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/** Decoding of request paths for routing. */
public final class PathCodec {
    private PathCodec() {
    }

    /**
     * Decodes percent-escapes as UTF-8, except {@code %2F} and {@code %25}, which stay encoded so
     * that an encoded slash never splits a segment and decoding twice changes nothing (aiohttp's
     * {@code path_safe}). A malformed escape is kept as it is.
     *
     * @param raw the path as sent
     * @return the path routes match
     */
    public static String decodeForRouting(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            int v = c == '%' ? hex(raw, i + 1) : -1;
            if (v >= 0 && v != '/' && v != '%') {
                bytes.reset();
                while (i < n && raw.charAt(i) == '%' && (v = hex(raw, i + 1)) >= 0 && v != '/' && v != '%') {
                    bytes.write(v);
                    i += 3;
                }
                out.append(new String(bytes.toByteArray(), UTF_8));
            } else if (v >= 0) {
                // %2F and %25 stay encoded, in upper case (so that decodeParameter finds them)
                out.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                        .append(Character.toUpperCase(raw.charAt(i + 2)));
                i += 3;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Decodes what {@link #decodeForRouting} kept: a matched parameter's value.
     *
     * @param routed a part of the routing path
     * @return it, fully decoded
     */
    public static String decodeParameter(String routed) {
        if (routed.indexOf('%') < 0) {
            return routed;
        }
        return routed.replace("%2F", "/").replace("%25", "%");
    }

    private static int hex(String s, int i) {
        return io.asyncio4j.http.internal.h1.Ascii.hexPair(s, i);
    }
}
