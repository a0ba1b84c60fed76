package io.asyncio4j.http.server;

import io.asyncio4j.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes declared together, then added to a router at once: aiohttp's {@code web.RouteTableDef}
 * (whose {@code @routes.get(...)} decorators become calls here).
 *
 * {@snippet :
 * static final RouteTableDef ROUTES = new RouteTableDef()
 *         .get("/", Api::index)
 *         .get("/items/{id}", Api::item)
 *         .post("/items", Api::create)
 *         .staticFiles("/static", Path.of("static"));
 *
 * app.router().addRoutes(ROUTES);
 * }
 */
public final class RouteTableDef {
    private record Def(HttpMethod method, String path, Handler handler, String name, Path directory,
                       StaticOptions options) {
    }

    private final List<Def> defs = new ArrayList<>();

    /** Makes an empty table. */
    public RouteTableDef() {
    }

    /**
     * Declares a route.
     *
     * @param method the method, or {@code null} for any
     * @param path the path pattern
     * @param handler the handler
     * @param name the route's name, or {@code null}
     * @return this table
     */
    public RouteTableDef route(HttpMethod method, String path, Handler handler, String name) {
        defs.add(new Def(method, path, handler, name, null, null));
        return this;
    }

    /**
     * Declares a GET route (and HEAD).
     *
     * @param path the path pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef get(String path, Handler handler) {
        return route(HttpMethod.GET, path, handler, null);
    }

    /**
     * Declares a POST route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef post(String path, Handler handler) {
        return route(HttpMethod.POST, path, handler, null);
    }

    /**
     * Declares a PUT route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef put(String path, Handler handler) {
        return route(HttpMethod.PUT, path, handler, null);
    }

    /**
     * Declares a PATCH route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef patch(String path, Handler handler) {
        return route(HttpMethod.PATCH, path, handler, null);
    }

    /**
     * Declares a DELETE route.
     *
     * @param path the path pattern
     * @param handler the handler
     * @return this table
     */
    public RouteTableDef delete(String path, Handler handler) {
        return route(HttpMethod.DELETE, path, handler, null);
    }

    /**
     * Declares a static directory.
     *
     * @param prefix the URL prefix
     * @param directory the directory
     * @return this table
     */
    public RouteTableDef staticFiles(String prefix, Path directory) {
        defs.add(new Def(null, prefix, null, null, directory, StaticOptions.defaults()));
        return this;
    }

    void applyTo(Router router) {
        for (Def d : defs) {
            if (d.directory() != null) {
                router.addStatic(d.path(), d.directory(), d.options());
            } else {
                router.add(d.method(), d.path(), d.handler(), d.name());
            }
        }
    }
}
