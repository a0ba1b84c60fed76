package io.asyncio4j.http.server;

import io.asyncio4j.http.HttpMethod;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route: a method (or any method), a path pattern and a handler, optionally named
 * (aiohttp's {@code ResourceRoute}).
 *
 * <p>Patterns: {@code /users/{id}} matches one segment ({@code [^{}/]+}), {@code {id:\d+}} a
 * regular expression, {@code {tail:.*}} the rest of the path (a tail match); anything else is
 * literal. Parameters are percent-decoded.
 */
public final class Route {
    private final HttpMethod method;
    private final UrlPattern pattern;
    private final Handler handler;
    private final String name;

    Route(HttpMethod method, UrlPattern pattern, Handler handler, String name) {
        this.method = method;
        this.pattern = pattern;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.name = name;
    }

    /** {@return the method, or empty for a route of any method} */
    public Optional<HttpMethod> method() {
        return Optional.ofNullable(method);
    }

    HttpMethod methodOrNull() {
        return method;
    }

    /** {@return the path pattern} */
    public String pattern() {
        return pattern.source();
    }

    UrlPattern compiled() {
        return pattern;
    }

    /** {@return the handler} */
    public Handler handler() {
        return handler;
    }

    /** {@return the route's name, if it has one} */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * Builds a path to this route (aiohttp's {@code url_for}): the pattern with its parameters
     * filled in, percent-encoded.
     *
     * @param params the parameters
     * @return the path
     * @throws IllegalArgumentException if a parameter is missing or does not match its expression
     */
    public String url(Map<String, String> params) {
        return pattern.build(params);
    }

    @Override
    public String toString() {
        return "<Route " + (method == null ? "*" : method) + " " + pattern.source()
                + (name != null ? " name=" + name : "") + ">";
    }
}
