package io.asyncio4j.http;

import io.asyncio4j.http.internal.h1.Ascii;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A media type (RFC 9110 §8.3.1): {@code type/subtype} and parameters, as in
 * {@code Content-Type: text/html; charset=utf-8}. Type, subtype and parameter names are kept in
 * lower case (they are case-insensitive); parameter values as given, unquoted.
 *
 * @param type the top-level type, e.g. {@code text}
 * @param subtype the subtype, e.g. {@code html}
 * @param parameters the parameters, in order (read-only)
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {
    /** {@code text/plain; charset=utf-8}. */
    public static final MediaType TEXT_PLAIN = new MediaType("text", "plain", Map.of("charset", "utf-8"));
    /** {@code text/html; charset=utf-8}. */
    public static final MediaType TEXT_HTML = new MediaType("text", "html", Map.of("charset", "utf-8"));
    /** {@code application/json}. */
    public static final MediaType APPLICATION_JSON = new MediaType("application", "json", Map.of());
    /** {@code application/octet-stream}. */
    public static final MediaType APPLICATION_OCTET_STREAM = new MediaType("application", "octet-stream", Map.of());
    /** {@code application/x-www-form-urlencoded}. */
    public static final MediaType FORM_URLENCODED = new MediaType("application", "x-www-form-urlencoded", Map.of());
    /** {@code multipart/form-data} (without its boundary). */
    public static final MediaType MULTIPART_FORM_DATA = new MediaType("multipart", "form-data", Map.of());
    /** {@code text/event-stream} (Server-Sent Events). */
    public static final MediaType TEXT_EVENT_STREAM = new MediaType("text", "event-stream", Map.of());

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"), Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"), Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("wasm", "application/wasm"), Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"), Map.entry("bin", "application/octet-stream"));

    /**
     * Checks and normalises the parts.
     *
     * @throws IllegalArgumentException if the type, subtype or a parameter name is not a token
     */
    public MediaType {
        type = type.toLowerCase(Locale.ROOT);
        subtype = subtype.toLowerCase(Locale.ROOT);
        if (!Ascii.isToken(type) || !Ascii.isToken(subtype)) {
            throw new IllegalArgumentException("not a media type: " + type + "/" + subtype);
        }
        Map<String, String> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (!Ascii.isToken(k)) {
                throw new IllegalArgumentException("a media type parameter's name must be a token: " + k);
            }
            p.put(k, e.getValue());
        }
        parameters = Collections.unmodifiableMap(p);
    }

    /**
     * Parses a media type such as {@code text/html; charset="utf-8"}.
     *
     * @param text the header value
     * @return the media type
     * @throws IllegalArgumentException if it is not one
     */
    public static MediaType parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a media type (no '/'): " + text);
        }
        int semi = text.indexOf(';', slash);
        String type = text.substring(0, slash).strip();
        String subtype = (semi < 0 ? text.substring(slash + 1) : text.substring(slash + 1, semi)).strip();
        Map<String, String> params = new LinkedHashMap<>();
        int i = semi;
        while (i >= 0 && i < text.length()) {
            i++; // past ';'
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            int nextSemi = text.indexOf(';', i);
            if (eq < 0 || (nextSemi >= 0 && nextSemi < eq)) {
                if (text.substring(i, nextSemi < 0 ? text.length() : nextSemi).isBlank()) {
                    i = nextSemi;
                    continue; // an empty parameter: "text/plain;"
                }
                throw new IllegalArgumentException("a media type parameter without '=': " + text);
            }
            String name = text.substring(i, eq).strip();
            int v = eq + 1;
            String value;
            if (v < text.length() && text.charAt(v) == '"') {
                StringBuilder b = new StringBuilder();
                int j = v + 1;
                while (j < text.length() && text.charAt(j) != '"') {
                    if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                        j++;
                    }
                    b.append(text.charAt(j++));
                }
                if (j >= text.length()) {
                    throw new IllegalArgumentException("an unterminated quoted string: " + text);
                }
                value = b.toString();
                i = text.indexOf(';', j);
            } else {
                int end = text.indexOf(';', v);
                value = (end < 0 ? text.substring(v) : text.substring(v, end)).strip();
                i = end;
            }
            params.put(name, value);
        }
        return new MediaType(type, subtype, params);
    }

    /**
     * Parses a media type, or returns empty if the text is not one.
     *
     * @param text the header value, or {@code null}
     * @return the media type
     */
    public static Optional<MediaType> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * {@return the media type a file name's extension suggests, {@code application/octet-stream}
     * when unknown}
     * @param fileName the file's name
     */
    public static MediaType forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String known = dot < 0 ? null : BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return known == null ? APPLICATION_OCTET_STREAM : parse(known);
    }

    /** {@return {@code type/subtype}, without parameters} */
    public String essence() {
        return type + "/" + subtype;
    }

    /**
     * {@return whether this is {@code type/subtype} (parameters ignored)}
     * @param other the type to compare with
     */
    public boolean is(MediaType other) {
        return type.equals(other.type) && subtype.equals(other.subtype);
    }

    /**
     * {@return a parameter's value}
     * @param name the parameter's name, in any case
     */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * {@return the {@code charset} parameter as a charset, if present and known}
     */
    public Optional<Charset> charset() {
        String c = parameters.get("charset");
        if (c == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(c));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
    }

    /**
     * {@return this type with a parameter set}
     * @param name the parameter's name
     * @param value its value
     */
    public MediaType withParameter(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(name.toLowerCase(Locale.ROOT), value);
        return new MediaType(type, subtype, p);
    }

    /** {@return the header value, parameters quoted where they must be} */
    @Override
    public String toString() {
        if (parameters.isEmpty()) {
            return essence();
        }
        StringBuilder b = new StringBuilder(essence());
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            b.append("; ").append(e.getKey()).append('=');
            String v = e.getValue();
            if (Ascii.isToken(v)) {
                b.append(v);
            } else {
                b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.toString();
    }
}
