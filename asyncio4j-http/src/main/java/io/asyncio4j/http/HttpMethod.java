package io.asyncio4j.http;

import io.asyncio4j.http.internal.h1.Ascii;

/**
 * A request method (RFC 9110 §9): the standard ones as constants, any other token by
 * {@link #of(String)}. Methods are case-sensitive: {@code get} is not {@code GET}.
 *
 * @param name the method's name, a token
 */
public record HttpMethod(String name) {
    /** {@code GET}. */
    public static final HttpMethod GET = new HttpMethod("GET");
    /** {@code HEAD}. */
    public static final HttpMethod HEAD = new HttpMethod("HEAD");
    /** {@code POST}. */
    public static final HttpMethod POST = new HttpMethod("POST");
    /** {@code PUT}. */
    public static final HttpMethod PUT = new HttpMethod("PUT");
    /** {@code DELETE}. */
    public static final HttpMethod DELETE = new HttpMethod("DELETE");
    /** {@code PATCH} (RFC 5789). */
    public static final HttpMethod PATCH = new HttpMethod("PATCH");
    /** {@code OPTIONS}. */
    public static final HttpMethod OPTIONS = new HttpMethod("OPTIONS");
    /** {@code TRACE}. */
    public static final HttpMethod TRACE = new HttpMethod("TRACE");
    /** {@code CONNECT}. */
    public static final HttpMethod CONNECT = new HttpMethod("CONNECT");

    /**
     * Checks the name.
     *
     * @throws IllegalArgumentException if the name is not a token
     */
    public HttpMethod {
        if (!Ascii.isToken(name)) {
            throw new IllegalArgumentException("a method must be a token (RFC 9110 §9.1): '" + name + "'");
        }
    }

    /**
     * Returns the method of a name: a shared constant for the standard methods.
     *
     * @param name the name, a token
     * @return the method
     * @throws IllegalArgumentException if the name is not a token
     */
    public static HttpMethod of(String name) {
        return switch (name) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "DELETE" -> DELETE;
            case "PATCH" -> PATCH;
            case "OPTIONS" -> OPTIONS;
            case "TRACE" -> TRACE;
            case "CONNECT" -> CONNECT;
            default -> new HttpMethod(name);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
