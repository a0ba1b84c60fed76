package io.asyncio4j.http;

import io.asyncio4j.http.internal.h1.Ascii;
import io.asyncio4j.http.internal.h1.HeaderNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * HTTP header fields: names compared case-insensitively, order kept, a name may occur several
 * times (aiohttp's {@code CIMultiDict}). A message's fields are in the order they arrived or were
 * added; {@link #get} returns the first value of a name, {@link #getAll} every one.
 *
 * {@snippet :
 * Headers h = new Headers()
 *         .add("Content-Type", "text/plain")
 *         .add("Set-Cookie", "a=1")
 *         .add("Set-Cookie", "b=2");
 * h.get("content-type");        // "text/plain"
 * h.getAll("set-cookie");       // ["a=1", "b=2"]
 * }
 *
 * <p>Names must be tokens (RFC 9110 §5.1) and values must hold no CR, LF, NUL or other control
 * byte but HTAB: a value that could split a message is refused with an
 * {@link IllegalArgumentException} where it is added, not when it is sent. Values are strings
 * of ISO-8859-1 characters (the bytes on the wire); a character above U+00FF is refused too.
 *
 * <p>The headers of a received request are {@linkplain #isReadOnly() read-only}: changing them
 * throws {@link UnsupportedOperationException}. Not thread-safe; a message's headers belong to
 * its loop.
 */
public final class Headers {
    static {
        // the codec appends the fields it has validated without checking them twice
        Ascii.installHeaderAppender(Headers::addUnchecked);
    }

    private String[] data;
    private int size;
    private boolean readOnly;

    /** Makes an empty, mutable header list. */
    public Headers() {
        data = new String[16];
    }

    private Headers(String[] data, int size) {
        this.data = data;
        this.size = size;
    }

    /**
     * Makes headers from name and value pairs.
     *
     * @param namesAndValues name, value, name, value, ...
     * @return the headers (mutable)
     * @throws IllegalArgumentException if the count is odd or a name or value is invalid
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Headers h = new Headers();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /** {@return how many fields there are (a name that occurs twice counts twice)} */
    public int size() {
        return size;
    }

    /** {@return whether there are no fields} */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * {@return the name of the field at {@code index}, as it was added or received}
     * @param index the field's index, from 0
     */
    public String name(int index) {
        checkIndex(index);
        return data[2 * index];
    }

    /**
     * {@return the value of the field at {@code index}}
     * @param index the field's index, from 0
     */
    public String value(int index) {
        checkIndex(index);
        return data[2 * index + 1];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    /**
     * {@return the first value of a name, or {@code null} when it is absent}
     * @param name the name, in any case
     */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (data[2 * i].equalsIgnoreCase(name)) {
                return data[2 * i + 1];
            }
        }
        return null;
    }

    /**
     * {@return the first value of a name, or {@code fallback} when it is absent}
     * @param name the name, in any case
     * @param fallback the value to return when the name is absent
     */
    public String getOrDefault(String name, String fallback) {
        String v = get(name);
        return v != null ? v : fallback;
    }

    /**
     * {@return every value of a name, in order (empty when absent)}
     * @param name the name, in any case
     */
    public List<String> getAll(String name) {
        List<String> out = null;
        for (int i = 0; i < size; i++) {
            if (data[2 * i].equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(data[2 * i + 1]);
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /**
     * {@return whether a name is present}
     * @param name the name, in any case
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Tells whether a comma-separated field holds a token, ignoring case: for example
     * {@code containsToken("Connection", "close")} for {@code Connection: keep-alive, Close}.
     *
     * @param name the field's name
     * @param token the token
     * @return whether any value of the field lists the token
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (data[2 * i].equalsIgnoreCase(name) && HeaderNames.listContains(data[2 * i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the distinct names, in order of first occurrence, as first added} */
    public Set<String> names() {
        Set<String> lower = new LinkedHashSet<>();
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            if (lower.add(data[2 * i].toLowerCase(Locale.ROOT))) {
                out.add(data[2 * i]);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Adds a field after the others (a second value for a name already present is kept beside
     * the first).
     *
     * @param name the name, a token
     * @param value the value
     * @return these headers
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF, NUL
     *     or another control byte
     * @throws UnsupportedOperationException if these headers are read-only
     */
    public Headers add(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        addUnchecked(name, value);
        return this;
    }

    /**
     * Replaces every value of a name with one value (added at the place of the first).
     *
     * @param name the name, a token
     * @param value the value
     * @return these headers
     * @throws IllegalArgumentException if the name or the value is invalid
     * @throws UnsupportedOperationException if these headers are read-only
     */
    public Headers set(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        for (int i = 0; i < size; i++) {
            if (data[2 * i].equalsIgnoreCase(name)) {
                data[2 * i] = name;
                data[2 * i + 1] = value;
                removeFrom(name, i + 1);
                return this;
            }
        }
        addUnchecked(name, value);
        return this;
    }

    /**
     * Sets a value only if the name is absent (aiohttp's {@code setdefault}).
     *
     * @param name the name
     * @param value the value
     * @return these headers
     */
    public Headers setIfAbsent(String name, String value) {
        if (!contains(name)) {
            add(name, value);
        }
        return this;
    }

    /**
     * Removes every field of a name.
     *
     * @param name the name, in any case
     * @return whether a field was removed
     * @throws UnsupportedOperationException if these headers are read-only
     */
    public boolean remove(String name) {
        checkWritable();
        int before = size;
        removeFrom(name, 0);
        return size != before;
    }

    private void removeFrom(String name, int from) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (!data[2 * r].equalsIgnoreCase(name)) {
                data[2 * w] = data[2 * r];
                data[2 * w + 1] = data[2 * r + 1];
                w++;
            }
        }
        Arrays.fill(data, 2 * w, 2 * size, null);
        size = w;
    }

    /**
     * Adds every field of {@code other}, in order.
     *
     * @param other the fields to add
     * @return these headers
     */
    public Headers addAll(Headers other) {
        checkWritable();
        for (int i = 0; i < other.size; i++) {
            addUnchecked(other.data[2 * i], other.data[2 * i + 1]);
        }
        return this;
    }

    /** {@return a mutable copy} */
    public Headers copy() {
        return new Headers(Arrays.copyOf(data, Math.max(16, 2 * size)), size);
    }

    /** {@return whether these headers refuse changes (those of a received message)} */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Makes these headers read-only from now on. Never suspends.
     *
     * @return these headers
     */
    public Headers freeze() {
        readOnly = true;
        return this;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("these headers are read-only (those of a received message)");
        }
    }

    /** Adds a field without checking it: for the codec, which has validated the bytes already. */
    private void addUnchecked(String name, String value) {
        if (2 * size + 2 > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[2 * size] = name;
        data[2 * size + 1] = value;
        size++;
    }

    /**
     * Checks that a name is a token.
     *
     * @param name the name
     * @throws IllegalArgumentException if it is not
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Ascii.isTchar(c)) {
                throw new IllegalArgumentException("a header name must be a token (RFC 9110 §5.1): '"
                        + printable(name) + "' has " + describe(c) + " at " + i);
            }
        }
    }

    /**
     * Checks that a value holds no control byte but HTAB and no character above U+00FF.
     *
     * @param name the field's name (for the message)
     * @param value the value
     * @throws IllegalArgumentException if it does
     */
    public static void checkValue(String name, String value) {
        Objects.requireNonNull(value, () -> "the value of " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("the value of header " + name + " has " + describe(c) + " at " + i
                        + " (CR, LF, NUL and other control characters could split the message)");
            }
        }
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Headers h) || h.size != size) {
            return false;
        }
        for (int i = 0; i < 2 * size; i += 2) {
            if (!data[i].equalsIgnoreCase(h.data[i]) || !data[i + 1].equals(h.data[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < 2 * size; i += 2) {
            h = 31 * h + data[i].toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + data[i + 1].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("<Headers(");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(data[2 * i]).append(": ").append(data[2 * i + 1]);
        }
        return b.append(")>").toString();
    }
}
