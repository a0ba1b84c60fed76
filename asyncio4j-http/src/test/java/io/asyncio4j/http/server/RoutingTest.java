package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.http.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router: patterns, methods, sub-applications, route tables, named routes. */
class RoutingTest {

    @HttpTest
    void theFirstMatchingResourceWinsAndLiteralsAreFoundDirectly(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/a/{x}", r -> Response.text("dynamic " + r.matchInfo("x")));
        app.router().get("/a/b", r -> Response.text("literal"));
        app.router().get("/c", r -> Response.text("c"));
        app.router().get("/{any}", r -> Response.text("any " + r.matchInfo("any")));
        TestClient c = clients.start(app);
        assertEquals("dynamic b", c.get("/a/b").text(), "registered first, the pattern wins");
        assertEquals("c", c.get("/c").text());
        assertEquals("any d", c.get("/d").text());
        assertEquals(404, c.get("/a/b/c").status());
    }

    @HttpTest
    void methodsOfOnePathShareAResourceAndAnyMethodRoutesCatchTheRest(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/r", r -> Response.text("get"));
        app.router().delete("/r", r -> Response.text("delete"));
        app.router().any("/any", r -> Response.text("any " + r.method()));
        app.router().add(HttpMethod.of("PURGE"), "/cache", r -> Response.text("purged"));
        TestClient c = clients.start(app);
        assertEquals("delete", c.delete("/r").text());
        assertEquals("any PATCH", c.request(HttpMethod.PATCH, "/any", null, new byte[0]).text());
        assertEquals("purged", c.request(HttpMethod.of("PURGE"), "/cache", null, null).text());
        TestResponse post = c.post("/r", ascii("x"), "text/plain");
        assertEquals(405, post.status());
        assertEquals("DELETE, GET, HEAD, OPTIONS", post.header("Allow"));
    }

    @HttpTest
    void methodsAreCaseSensitiveTokens(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("ok"));
        TestClient c = clients.start(app);
        TestResponse lower = c.request(HttpMethod.of("get"), "/", null, null);
        assertEquals(405, lower.status(), "'get' is another method than GET");
    }

    @HttpTest
    void optionsAsteriskListsEveryMethod(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/a", r -> Response.text("a"));
        app.router().put("/b", r -> Response.text("b"));
        TestClient c = clients.start(app);
        TestResponse r = c.request(HttpMethod.OPTIONS, "*", null, null);
        assertEquals(204, r.status());
        assertEquals("GET, HEAD, OPTIONS, PUT", r.header("Allow"));
        app.router().routes(); // still readable once frozen
    }

    @HttpTest
    void anExplicitHeadOrOptionsRouteReplacesTheAutomaticOne(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/x", r -> Response.text("body"));
        app.router().add(HttpMethod.HEAD, "/x", r -> {
            Response resp = Response.text("ignored");
            resp.headers().set("X-Head", "explicit");
            return resp;
        });
        app.router().options("/x", r -> Response.text("custom options"));
        TestClient c = clients.start(app);
        assertEquals("explicit", c.head("/x").header("X-Head"));
        assertEquals("custom options", c.request(HttpMethod.OPTIONS, "/x", null, null).text());
    }

    @HttpTest
    void subApplicationsOwnTheirPrefixWithTheirMiddlewaresAndState(TestClients clients) throws Exception {
        StateKey<String> name = StateKey.of("name", String.class);
        StateKey<String> rootOnly = StateKey.of("rootOnly", String.class);
        List<String> order = new ArrayList<>();
        Application root = new Application().set(name, "root").set(rootOnly, "from root");
        root.use((req, next) -> {
            order.add("root-mw");
            return next.handle(req);
        });
        root.router().get("/", r -> Response.text("root " + r.config(name)));
        Application admin = new Application().set(name, "admin");
        admin.use((req, next) -> {
            order.add("admin-mw");
            return next.handle(req);
        });
        admin.router().get("/", r -> Response.text("admin index"));
        admin.router().get("/users/{id}", r -> Response.text("admin user " + r.matchInfo("id") + " "
                + r.config(name) + " " + r.config(rootOnly) + " " + (r.app() == admin)));
        root.addSubApp("/admin", admin);
        TestClient c = clients.start(root);
        assertEquals("root root", c.get("/").text());
        assertEquals(List.of("root-mw"), order);
        order.clear();
        assertEquals("admin user 7 admin from root true", c.get("/admin/users/7").text());
        assertEquals(List.of("root-mw", "admin-mw"), order, "the outer application's middleware is outermost");
        assertEquals("admin index", c.get("/admin").text());
        assertEquals("admin index", c.get("/admin/").text());
        order.clear();
        assertEquals(404, c.get("/admin/nothing").status());
        assertEquals(List.of("root-mw", "admin-mw"), order, "middlewares run for the sub-application's 404");
        assertEquals(404, c.get("/administrator").status(), "a prefix matches whole segments");
    }

    @HttpTest
    void routeTablesAndNamedRoutes(TestClients clients) throws Exception {
        RouteTableDef routes = new RouteTableDef()
                .get("/", r -> Response.text("index"))
                .route(HttpMethod.GET, "/items/{id:\\d+}", r -> Response.text("item " + r.matchInfo("id")), "item")
                .post("/items", r -> Response.text("created").setStatus(201));
        Application app = new Application();
        app.router().addRoutes(routes);
        TestClient c = clients.start(app);
        assertEquals("index", c.get("/").text());
        assertEquals("item 5", c.get("/items/5").text());
        assertEquals(201, c.post("/items", new byte[0], "text/plain").status());
        Route item = app.router().named("item").orElseThrow();
        assertEquals("/items/42", item.url(Map.of("id", "42")));
        assertThrows(IllegalArgumentException.class, () -> item.url(Map.of("id", "x")));
        assertThrows(IllegalArgumentException.class, () -> item.url(Map.of()));
    }

    @Test
    void badPatternsAndDuplicateRoutesAreRefusedWhereTheyAreAdded() {
        Router r = new Application().router();
        assertThrows(IllegalArgumentException.class, () -> r.get("no-slash", q -> null));
        assertThrows(IllegalArgumentException.class, () -> r.get("/{unclosed", q -> null));
        assertThrows(IllegalArgumentException.class, () -> r.get("/x}", q -> null));
        assertThrows(IllegalArgumentException.class, () -> r.get("/{a}/{a}", q -> null));
        assertThrows(IllegalArgumentException.class, () -> r.get("/{bad name}", q -> null));
        assertThrows(IllegalArgumentException.class, () -> r.get("/{x:[}", q -> null));
        r.get("/once", q -> null, "once");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> r.get("/once", q -> null));
        assertTrue(dup.getMessage().contains("never run"), dup.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> r.get("/other", q -> null, "once"));
        assertTrue(name.getMessage().contains("named 'once'"), name.getMessage());
    }

    @HttpTest
    void aStartedApplicationIsFrozen(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/", r -> Response.text("x"));
        clients.start(app);
        assertTrue(app.isFrozen());
        assertThrows(IllegalStateException.class, () -> app.router().get("/late", r -> Response.text("late")));
        assertThrows(IllegalStateException.class, () -> app.use((req, next) -> next.handle(req)));
    }

    @HttpTest
    void percentEncodingInPathsAndQueries(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/p/{v}", r -> Response.text(r.matchInfo("v") + "|" + r.path() + "|" + r.rawPath() + "|"
                + r.query("q").orElse("-") + "|" + r.query().getAll("t")));
        TestClient c = clients.start(app);
        assertEquals("a b|/p/a b|/p/a%20b|x y&z|[1, 2]", c.get("/p/a%20b?q=x+y%26z&t=1&t=2").text());
        assertEquals("100%|/p/100%|/p/100%25|-|[]", c.get("/p/100%25").text(), "decoded once, not twice");
        assertEquals("%zz|/p/%zz|/p/%zz|-|[]", c.get("/p/%zz").text(), "a malformed escape is kept");
    }
}
