package io.asyncio4j.examples;

import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.EventSourceResponse;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Middleware;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.RouteTableDef;
import io.asyncio4j.http.server.StateKey;
import io.asyncio4j.http.server.StreamResponse;
import io.asyncio4j.http.server.Web;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.queue.QueueShutDown;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small JSON API on {@code asyncio4j-http}, as one would write it with aiohttp.web: a to-do
 * list with routes that take parameters, a middleware (timing, and JSON errors), a streaming
 * endpoint (Server-Sent Events of every change) and a static folder with a page that uses it all.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j example jsonapi 8080          # then open http://127.0.0.1:8080/
 * curl -s localhost:8080/api/items
 * curl -s -X POST localhost:8080/api/items -d '{"title": "water the plants"}'
 * curl -s -X PATCH localhost:8080/api/items/1 -d '{"done": true}'
 * curl -sN localhost:8080/api/events        # the changes, as they happen
 * }
 *
 * <p>The routes:
 * <pre>
 *   GET    /api/items           the items (?done=true|false filters)
 *   GET    /api/items/{id}      one item, 404 if none
 *   POST   /api/items           {"title": ...} creates one: 201 with its Location
 *   PATCH  /api/items/{id}      {"done": ...} and/or {"title": ...}
 *   DELETE /api/items/{id}      204
 *   GET    /api/events          text/event-stream of created/updated/deleted items
 *   GET    /static/...          the page and its script
 *   GET    /                    redirects to /static/index.html
 * </pre>
 */
public final class JsonApi {
    private JsonApi() {
    }

    /** An item of the list. */
    public record Item(long id, String title, boolean done) {
    }

    /** The store and its listeners, kept on the application. */
    static final class Store {
        final Map<Long, Item> items = new LinkedHashMap<>();
        final List<Queue<String>> listeners = new ArrayList<>();
        long nextId = 1;

        void publish(String event, Item item, Application app) {
            String json = new String(app.jsonCodec().encode(Map.of("event", event, "item", item)),
                    java.nio.charset.StandardCharsets.UTF_8);
            for (Queue<String> q : listeners) {
                q.putNowait(json); // an unbounded queue per listener: never blocks the handler
            }
        }
    }

    static final StateKey<Store> STORE = StateKey.of("store", Store.class);

    /** Times each request and turns errors into JSON bodies. */
    static final Middleware JSON_ERRORS_AND_TIMING = (request, next) -> {
        long t0 = System.nanoTime();
        StreamResponse response;
        try {
            response = next.handle(request);
        } catch (HttpException e) {
            Response json = Response.json(Map.of("error", e.status().reason(), "detail", e.text()));
            json.setStatus(e.status());
            json.headers().addAll(e.headers());
            response = json;
        }
        if (!response.isPrepared()) {
            response.headers().set("X-Response-Time-Us", Long.toString((System.nanoTime() - t0) / 1000));
        }
        return response;
    };

    static long id(Request r) {
        return Long.parseLong(r.matchInfo("id"));
    }

    static Item find(Request r) {
        Item item = r.config(STORE).items.get(id(r));
        if (item == null) {
            throw new HttpException(HttpStatus.NOT_FOUND, "no item " + r.matchInfo("id"));
        }
        return item;
    }

    static Map<?, ?> jsonObject(Request r) throws IOException {
        Object body = r.json(Object.class);
        if (!(body instanceof Map<?, ?> m)) {
            throw HttpException.badRequest("expected a JSON object");
        }
        return m;
    }

    /**
     * Builds the application.
     *
     * @param staticDir the folder served at {@code /static}
     * @return the application
     */
    public static Application app(Path staticDir) {
        RouteTableDef routes = new RouteTableDef()
                .get("/", r -> {
                    throw HttpException.found("/static/index.html");
                })
                .get("/api/items", r -> {
                    String done = r.query("done").orElse(null);
                    List<Item> out = new ArrayList<>();
                    for (Item i : r.config(STORE).items.values()) {
                        if (done == null || Boolean.parseBoolean(done) == i.done()) {
                            out.add(i);
                        }
                    }
                    return Response.json(out);
                })
                .get("/api/items/{id:\\d+}", r -> Response.json(find(r)))
                .post("/api/items", r -> {
                    Object title = jsonObject(r).get("title");
                    if (!(title instanceof String t) || t.isBlank()) {
                        throw HttpException.unprocessable("a non-empty \"title\" is required");
                    }
                    Store s = r.config(STORE);
                    Item item = new Item(s.nextId++, t.strip(), false);
                    s.items.put(item.id(), item);
                    s.publish("created", item, r.app());
                    Response resp = Response.json(item).setStatus(HttpStatus.CREATED);
                    resp.headers().set("Location", "/api/items/" + item.id());
                    return resp;
                })
                .patch("/api/items/{id:\\d+}", r -> {
                    Item old = find(r);
                    Map<?, ?> changes = jsonObject(r);
                    Item item = new Item(old.id(),
                            changes.get("title") instanceof String t ? t : old.title(),
                            changes.get("done") instanceof Boolean b ? b : old.done());
                    r.config(STORE).items.put(item.id(), item);
                    r.config(STORE).publish("updated", item, r.app());
                    return Response.json(item);
                })
                .delete("/api/items/{id:\\d+}", r -> {
                    Item item = find(r);
                    r.config(STORE).items.remove(item.id());
                    r.config(STORE).publish("deleted", item, r.app());
                    return Response.of(HttpStatus.NO_CONTENT);
                })
                .get("/api/events", JsonApi::events)
                .staticFiles("/static", staticDir);
        Application app = new Application();
        app.set(STORE, new Store());
        app.use(JSON_ERRORS_AND_TIMING);
        app.router().addRoutes(routes);
        // at shutdown, end the event streams so that they do not hold the graceful stop
        app.onShutdown(a -> {
            for (Queue<String> q : List.copyOf(a.get(STORE).listeners)) {
                q.shutdown(false);
            }
        });
        return app;
    }

    /** The streaming endpoint: every change, as Server-Sent Events, until the client leaves. */
    static StreamResponse events(Request r) throws IOException {
        Store store = r.config(STORE);
        Queue<String> q = new Queue<>();
        store.listeners.add(q);
        EventSourceResponse sse = new EventSourceResponse().setPingInterval(Duration.ofSeconds(15));
        try {
            sse.prepare(r);
            sse.send(Integer.toString(store.items.size()), "hello", null, Duration.ofSeconds(2));
            while (true) {
                sse.send(q.get(), "change", null, null); // suspends until something changes
            }
        } catch (QueueShutDown e) {
            return sse; // the server is shutting down: end the stream
        } finally {
            store.listeners.remove(q);
        }
    }

    /**
     * Serves the API on 127.0.0.1 until Ctrl-C or SIGTERM.
     *
     * @param args the port (default 8080)
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Web.runApp(app(staticFolder()), "127.0.0.1", port);
    }

    /** {@return the example's static folder: in the classes directory, or copied out of the jar} */
    static Path staticFolder() throws IOException {
        URL index = JsonApi.class.getResource("/jsonapi/static/index.html");
        if (index == null) {
            throw new IllegalStateException("the example's static files are missing from the class path");
        }
        if (index.getProtocol().equals("file")) {
            try {
                return Path.of(index.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path dir = Files.createTempDirectory("jsonapi-static");
        for (String name : Set.of("index.html", "app.js")) {
            try (InputStream in = JsonApi.class.getResourceAsStream("/jsonapi/static/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir;
    }
}
