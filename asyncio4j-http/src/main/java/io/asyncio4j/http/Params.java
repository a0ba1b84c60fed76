package io.asyncio4j.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Name and value pairs in order, a name possibly repeated: a query string or an
 * {@code application/x-www-form-urlencoded} form (aiohttp's {@code MultiDict} of
 * {@code request.query}). Names are case-sensitive. Read-only once made by {@link #parse}.
 *
 * {@snippet :
 * Params q = Params.parse("tag=a&tag=b&page=2");
 * q.get("page");      // Optional["2"]
 * q.getAll("tag");    // ["a", "b"]
 * }
 */
public final class Params {
    private static final Params EMPTY = new Params(List.of(), List.of());

    private final List<String> names;
    private final List<String> values;

    private Params(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /** {@return no parameters} */
    public static Params empty() {
        return EMPTY;
    }

    /**
     * Parses {@code a=1&b=2} (UTF-8, {@code +} as space, percent-escapes decoded; malformed
     * escapes are kept as they are). A pair without {@code =} has an empty value.
     *
     * @param query the query string or form body, without the {@code ?}
     * @return the parameters
     */
    public static Params parse(String query) {
        return parse(query, UTF_8);
    }

    /**
     * Parses a query string or form body in a charset.
     *
     * @param query the text
     * @param charset the charset the escapes encode
     * @return the parameters
     */
    public static Params parse(String query, Charset charset) {
        if (query == null || query.isEmpty()) {
            return EMPTY;
        }
        List<String> n = new ArrayList<>();
        List<String> v = new ArrayList<>();
        int i = 0;
        while (i <= query.length()) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? query.length() : amp;
            if (end > i) {
                String pair = query.substring(i, end);
                int eq = pair.indexOf('=');
                n.add(decode(eq < 0 ? pair : pair.substring(0, eq), true, charset));
                v.add(eq < 0 ? "" : decode(pair.substring(eq + 1), true, charset));
            }
            if (amp < 0) {
                break;
            }
            i = amp + 1;
        }
        return new Params(Collections.unmodifiableList(n), Collections.unmodifiableList(v));
    }

    /**
     * Makes parameters from pairs.
     *
     * @param namesAndValues name, value, name, value, ...
     * @return the parameters
     */
    public static Params of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        List<String> n = new ArrayList<>();
        List<String> v = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            n.add(namesAndValues[i]);
            v.add(namesAndValues[i + 1]);
        }
        return new Params(Collections.unmodifiableList(n), Collections.unmodifiableList(v));
    }

    /**
     * Decodes percent-escapes (and {@code +} as a space when asked); an escape that is not two
     * hex digits is kept as it is, and bytes that are not valid in the charset become U+FFFD.
     *
     * @param s the text
     * @param plusIsSpace whether {@code +} means a space (forms and query strings)
     * @param charset the charset of the escaped bytes
     * @return the decoded text
     */
    public static String decode(String s, boolean plusIsSpace, Charset charset) {
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) != '%' && !(plusIsSpace && s.charAt(i) == '+')) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n);
        out.append(s, 0, i);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%' && hex(s, i + 1) >= 0) {
                bytes.reset();
                while (i < n && s.charAt(i) == '%' && hex(s, i + 1) >= 0) {
                    bytes.write(hex(s, i + 1));
                    i += 3;
                }
                out.append(new String(bytes.toByteArray(), charset));
            } else {
                out.append(plusIsSpace && c == '+' ? ' ' : c);
                i++;
            }
        }
        return out.toString();
    }

    private static int hex(String s, int i) {
        return io.asyncio4j.http.internal.h1.Ascii.hexPair(s, i);
    }

    /** {@return how many pairs there are} */
    public int size() {
        return names.size();
    }

    /** {@return whether there are none} */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    /**
     * {@return the first value of a name}
     * @param name the name
     */
    public Optional<String> get(String name) {
        int i = names.indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(values.get(i));
    }

    /**
     * {@return the first value of a name, or {@code fallback}}
     * @param name the name
     * @param fallback the value when absent
     */
    public String getOrDefault(String name, String fallback) {
        int i = names.indexOf(name);
        return i < 0 ? fallback : values.get(i);
    }

    /**
     * {@return every value of a name, in order}
     * @param name the name
     */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                out.add(values.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@return whether a name is present}
     * @param name the name
     */
    public boolean contains(String name) {
        return names.contains(name);
    }

    /** {@return the distinct names, in order} */
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /**
     * {@return the name of pair {@code i}}
     * @param i the index
     */
    public String name(int i) {
        return names.get(i);
    }

    /**
     * {@return the value of pair {@code i}}
     * @param i the index
     */
    public String value(int i) {
        return values.get(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.names.equals(names) && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("<Params(");
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
        }
        return b.append(")>").toString();
    }
}
