package io.asyncio4j.http.server;

import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/*
 * Implementation overview
 *
 * Resources in registration order, each a pattern with its routes by method (aiohttp's
 * UrlDispatcher). Resolution walks them in order: the first resource whose pattern matches and
 * that has a route for the method wins; HEAD falls back to GET; a resource matching the path but
 * not the method adds its methods to Allow (405 if nothing matches, an automatic 204 for
 * OPTIONS). Literal paths are also indexed in a map, so a request for one skips every literal
 * resource but its own and scans only the dynamic resources registered before it: first-match
 * semantics at a hash lookup's cost. A sub-application owns its prefix: its router resolves the
 * rest of the path, and its 404/405 is final. Frozen when the application starts.
 */

/**
 * The routes of an application: aiohttp's {@code app.router} ({@code UrlDispatcher}).
 *
 * {@snippet :
 * Router r = app.router();
 * r.get("/", Handlers::index);                       // GET, and HEAD automatically
 * r.get("/users/{id:\\d+}", Handlers::user, "user");  // a named route with a regex parameter
 * r.post("/users", Handlers::create);
 * r.add(HttpMethod.of("PURGE"), "/cache/{key}", Handlers::purge);
 * r.addStatic("/static", Path.of("public"));
 * String url = r.named("user").orElseThrow().url(Map.of("id", "42"));   // "/users/42"
 * }
 */
public final class Router {
    private final List<Resource> resources = new ArrayList<>();
    private final Map<String, Integer> literalIndex = new HashMap<>();
    private final Map<String, Route> named = new LinkedHashMap<>();
    private boolean frozen;

    Router() {
    }

    // ------------------------------------------------------------------ resources

    /** A pattern and its routes (aiohttp's Resource), a static directory, or a sub-application. */
    private static final class Resource {
        final UrlPattern pattern;
        final String prefix;
        final Application subApp;
        final Map<HttpMethod, Route> byMethod = new LinkedHashMap<>();
        Route anyMethod;

        Resource(UrlPattern pattern, String prefix, Application subApp) {
            this.pattern = pattern;
            this.prefix = prefix;
            this.subApp = subApp;
        }

        Set<HttpMethod> methods() {
            Set<HttpMethod> m = new LinkedHashSet<>(byMethod.keySet());
            if (m.contains(HttpMethod.GET)) {
                m.add(HttpMethod.HEAD);
            }
            return m;
        }
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new IllegalStateException("the application has started: its routes can no longer change");
        }
    }

    void freeze() {
        frozen = true;
    }

    /**
     * Adds a route.
     *
     * @param method the method, or {@code null} for any method
     * @param path the path pattern
     * @param handler the handler
     * @param name a name for {@link #named}, or {@code null}
     * @return the route
     * @throws IllegalArgumentException if the pattern is invalid, the name is taken, or the path
     *     has a route for the method already
     * @throws IllegalStateException once the application has started
     */
    public Route add(HttpMethod method, String path, Handler handler, String name) {
        checkNotFrozen();
        if (name != null && named.containsKey(name)) {
            throw new IllegalArgumentException("a route named '" + name + "' exists already: " + named.get(name));
        }
        UrlPattern p = UrlPattern.compile(path);
        Resource r = null;
        if (!resources.isEmpty()) {
            Resource last = resources.get(resources.size() - 1);
            if (last.pattern != null && last.pattern.source().equals(path)) {
                r = last; // aiohttp reuses the last resource for the same path
            }
        }
        if (r == null) {
            for (Resource x : resources) {
                if (x.pattern != null && x.pattern.source().equals(path)) {
                    r = x;
                    break;
                }
            }
        }
        if (r == null) {
            r = new Resource(p, null, null);
            resources.add(r);
            if (p.isLiteral()) {
                literalIndex.putIfAbsent(path, resources.size() - 1);
            }
        }
        Route route = new Route(method, p, handler, name);
        if (method == null) {
            if (r.anyMethod != null) {
                throw new IllegalArgumentException("the path " + path + " has a route for any method already");
            }
            r.anyMethod = route;
        } else {
            if (r.byMethod.containsKey(method)) {
                throw new IllegalArgumentException("the path " + path + " has a " + method + " route already: the new "
                        + "one would never run");
            }
            r.byMethod.put(method, route);
        }
        if (name != null) {
            named.put(name, route);
        }
        return route;
    }

    /**
     * Adds a route.
     *
     * @param method the method, or {@code null} for any method
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route add(HttpMethod method, String path, Handler handler) {
        return add(method, path, handler, null);
    }

    /**
     * Adds a GET route; HEAD requests for the path run it too, without the body being sent.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route get(String path, Handler handler) {
        return add(HttpMethod.GET, path, handler, null);
    }

    /**
     * Adds a named GET route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @param name the route's name
     * @return the route
     */
    public Route get(String path, Handler handler, String name) {
        return add(HttpMethod.GET, path, handler, name);
    }

    /**
     * Adds a POST route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route post(String path, Handler handler) {
        return add(HttpMethod.POST, path, handler, null);
    }

    /**
     * Adds a PUT route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route put(String path, Handler handler) {
        return add(HttpMethod.PUT, path, handler, null);
    }

    /**
     * Adds a PATCH route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route patch(String path, Handler handler) {
        return add(HttpMethod.PATCH, path, handler, null);
    }

    /**
     * Adds a DELETE route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route delete(String path, Handler handler) {
        return add(HttpMethod.DELETE, path, handler, null);
    }

    /**
     * Adds an OPTIONS route (without one, OPTIONS is answered 204 with {@code Allow}).
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route options(String path, Handler handler) {
        return add(HttpMethod.OPTIONS, path, handler, null);
    }

    /**
     * Adds a route for any method (aiohttp's {@code hdrs.METH_ANY}).
     *
     * @param path the path pattern
     * @param handler the handler
     * @return the route
     */
    public Route any(String path, Handler handler) {
        return add(null, path, handler, null);
    }

    /**
     * Adds every route of a table.
     *
     * @param table the routes
     * @return this router
     */
    public Router addRoutes(RouteTableDef table) {
        table.applyTo(this);
        return this;
    }

    /**
     * Serves the files under a directory at a prefix (aiohttp's {@code add_static}): GET and HEAD
     * of {@code prefix/<relative path>}, with ranges, validators and no way out of the directory.
     *
     * @param prefix the URL prefix, e.g. {@code /static}
     * @param directory the directory
     * @return the route
     */
    public Route addStatic(String prefix, Path directory) {
        return addStatic(prefix, directory, StaticOptions.defaults());
    }

    /**
     * Serves the files under a directory at a prefix, with options.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @param options what to serve and how
     * @return the route
     * @throws IllegalArgumentException if the directory does not exist
     */
    public Route addStatic(String prefix, Path directory, StaticOptions options) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("a static prefix must start with '/': " + prefix);
        }
        Handler h = StaticFiles.handler(directory, options);
        return add(HttpMethod.GET, p + "/{filename:.*}", h, options.name());
    }

    void addSubApp(String prefix, Application app) {
        checkNotFrozen();
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!p.startsWith("/") || p.length() < 2) {
            throw new IllegalArgumentException("a sub-application's prefix must start with '/' and not be '/': "
                    + prefix);
        }
        resources.add(new Resource(null, p, app));
    }

    /**
     * {@return the route of a name}
     * @param name the name given when it was added
     */
    public Optional<Route> named(String name) {
        return Optional.ofNullable(named.get(name));
    }

    /** {@return every route, in registration order (sub-applications' not included)} */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (Resource r : resources) {
            out.addAll(r.byMethod.values());
            if (r.anyMethod != null) {
                out.add(r.anyMethod);
            }
        }
        return Collections.unmodifiableList(out);
    }

    // ------------------------------------------------------------------ resolution

    /** What resolution found: the handler to run and the applications whose middlewares wrap it. */
    record Resolution(Handler handler, Route route, Map<String, String> params, List<Application> chain) {
    }

    Resolution resolve(Application self, List<Application> outer, HttpMethod method, String path) {
        List<Application> chain;
        if (outer.isEmpty()) {
            chain = self.selfChain(); // the root application: no list per request
        } else {
            chain = new ArrayList<>(outer.size() + 1);
            chain.addAll(outer);
            chain.add(self);
        }
        if (path.equals("*")) {
            if (method == HttpMethod.OPTIONS) {
                Set<HttpMethod> all = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
                for (Resource r : resources) {
                    all.addAll(r.methods());
                }
                all.add(HttpMethod.OPTIONS);
                return new Resolution(allowHandler(all), null, Map.of(), chain);
            }
            return new Resolution(NOT_FOUND, null, Map.of(), chain);
        }
        Integer literal = literalIndex.get(path);
        Set<HttpMethod> allowed = null;
        int n = resources.size();
        for (int i = 0; i < n; i++) {
            Resource r = resources.get(i);
            Map<String, String> params;
            if (r.subApp != null) {
                if (!(path.equals(r.prefix) || path.startsWith(r.prefix + "/"))) {
                    continue;
                }
                String rest = path.length() == r.prefix.length() ? "/" : path.substring(r.prefix.length());
                return r.subApp.router().resolve(r.subApp, chain, method, rest);
            }
            if (r.pattern.isLiteral()) {
                if (literal == null || literal != i) {
                    continue;
                }
                params = Map.of();
            } else {
                params = r.pattern.match(path);
                if (params == null) {
                    continue;
                }
            }
            Route route = r.byMethod.get(method);
            if (route == null && method == HttpMethod.HEAD) {
                route = r.byMethod.get(HttpMethod.GET);
            }
            if (route == null) {
                route = r.anyMethod;
            }
            if (route != null) {
                return new Resolution(route.handler(), route, params, chain);
            }
            if (allowed == null) {
                allowed = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
            }
            allowed.addAll(r.methods());
        }
        if (allowed == null) {
            return new Resolution(NOT_FOUND, null, Map.of(), chain);
        }
        if (method == HttpMethod.OPTIONS) {
            allowed.add(HttpMethod.OPTIONS);
            return new Resolution(allowHandler(allowed), null, Map.of(), chain);
        }
        allowed.add(HttpMethod.OPTIONS);
        Set<HttpMethod> allow = allowed;
        return new Resolution(request -> {
            throw HttpException.methodNotAllowed(request.method(), allow);
        }, null, Map.of(), chain);
    }

    private static final Handler NOT_FOUND = request -> {
        throw HttpException.notFound();
    };

    private static Handler allowHandler(Set<HttpMethod> methods) {
        String allow = String.join(", ", methods.stream().map(HttpMethod::name).toList());
        return request -> {
            Response r = Response.of(HttpStatus.NO_CONTENT);
            r.headers().set("Allow", allow);
            return r;
        };
    }
}
