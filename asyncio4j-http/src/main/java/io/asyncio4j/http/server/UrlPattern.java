package io.asyncio4j.http.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.internal.server.PathCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A compiled path pattern: a literal path, or a regular expression with named parameters. */
final class UrlPattern {
    private static final String SEGMENT = "[^{}/]+";

    private final String source;
    private final Pattern regex;
    private final List<String> names;
    private final List<String> literals;
    private final List<Pattern> parts;

    private UrlPattern(String source, Pattern regex, List<String> names, List<String> literals, List<Pattern> parts) {
        this.source = source;
        this.regex = regex;
        this.names = names;
        this.literals = literals;
        this.parts = parts;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException if it does not start with '/', has an unbalanced brace, a
     *     parameter twice, or an invalid expression
     */
    static UrlPattern compile(String source) {
        if (!source.startsWith("/")) {
            throw new IllegalArgumentException("a route's path must start with '/': " + source);
        }
        if (source.indexOf('{') < 0 && source.indexOf('}') < 0) {
            return new UrlPattern(source, null, List.of(), List.of(source), List.of());
        }
        StringBuilder re = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        List<Pattern> parts = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf('{', i);
            int closeBefore = source.indexOf('}', i);
            if (closeBefore >= 0 && (open < 0 || closeBefore < open)) {
                throw new IllegalArgumentException("an unbalanced '}' in route " + source);
            }
            if (open < 0) {
                literals.add(source.substring(i));
                re.append(Pattern.quote(source.substring(i)));
                break;
            }
            literals.add(source.substring(i, open));
            if (open > i) {
                re.append(Pattern.quote(source.substring(i, open)));
            }
            int close = matchingBrace(source, open);
            String body = source.substring(open + 1, close);
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String expr = colon < 0 ? SEGMENT : body.substring(colon + 1);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("a route parameter needs a name (letters, digits, _): '{" + body
                        + "}' in " + source);
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("the parameter '" + name + "' twice in route " + source);
            }
            try {
                parts.add(Pattern.compile(expr));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("an invalid expression for '" + name + "' in route " + source
                        + ": " + e.getDescription(), e);
            }
            names.add(name);
            re.append("(?<").append(name).append(">").append(expr).append(")");
            i = close + 1;
            if (i == source.length()) {
                literals.add("");
            }
        }
        re.append("$");
        return new UrlPattern(source, Pattern.compile(re.toString()), Collections.unmodifiableList(names), literals,
                parts);
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("an unbalanced '{' in route " + s);
    }

    String source() {
        return source;
    }

    boolean isLiteral() {
        return regex == null;
    }

    /** {@return the parameters if the routing path matches, else null} */
    Map<String, String> match(String path) {
        if (regex == null) {
            return source.equals(path) ? Map.of() : null;
        }
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, PathCodec.decodeParameter(m.group(n)));
        }
        return out;
    }

    String build(Map<String, String> params) {
        if (regex == null) {
            return source;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            b.append(literals.get(i));
            String v = params.get(names.get(i));
            if (v == null) {
                throw new IllegalArgumentException("route " + source + " needs the parameter '" + names.get(i) + "'");
            }
            if (!parts.get(i).matcher(v).matches()) {
                throw new IllegalArgumentException("'" + v + "' does not match '" + parts.get(i).pattern()
                        + "' for the parameter '" + names.get(i) + "' of route " + source);
            }
            b.append(encodeSegment(v, parts.get(i).pattern().contains("/") || parts.get(i).pattern().contains(".")));
        }
        if (literals.size() > names.size()) {
            b.append(literals.get(names.size()));
        }
        return b.toString();
    }

    private static String encodeSegment(String v, boolean keepSlash) {
        StringBuilder b = new StringBuilder();
        for (byte x : v.getBytes(UTF_8)) {
            int c = x & 0xff;
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0 || (keepSlash && c == '/');
            if (safe) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
