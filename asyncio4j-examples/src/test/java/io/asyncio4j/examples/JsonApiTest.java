package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.StreamedResponse;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.http.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The JSON API example, through the test kit. */
class JsonApiTest {

    @HttpTest
    void itemsAreCreatedListedUpdatedAndDeleted(TestClients clients) throws Exception {
        TestClient c = clients.start(JsonApi.app(JsonApi.staticFolder()));
        assertEquals(List.of(), c.get("/api/items").json(List.class));
        TestResponse created = c.postJson("/api/items", Map.of("title", "water the plants"));
        assertEquals(201, created.status());
        assertEquals("/api/items/1", created.header("Location"));
        assertTrue(created.header("X-Response-Time-Us") != null, "the middleware timed it");
        assertEquals(Map.of("id", 1, "title", "water the plants", "done", false), created.json(Map.class));
        c.postJson("/api/items", Map.of("title", "read"));
        TestResponse done = c.request(HttpMethod.PATCH, "/api/items/1", null,
                "{\"done\": true}".getBytes(StandardCharsets.UTF_8));
        assertEquals(true, done.json(Map.class).get("done"));
        assertEquals(1, c.get("/api/items?done=true").json(List.class).size());
        assertEquals(204, c.delete("/api/items/2").status());
        TestResponse missing = c.get("/api/items/2");
        assertEquals(404, missing.status());
        assertEquals("no item 2", missing.json(Map.class).get("detail"), "errors are JSON");
        assertEquals(422, c.postJson("/api/items", Map.of("title", "")).status());
        assertEquals(404, c.get("/api/items/abc").status(), "ids are numbers");
    }

    @HttpTest
    void changesAreStreamedAsEvents(TestClients clients) throws Exception {
        TestClient c = clients.start(JsonApi.app(JsonApi.staticFolder()));
        TestClient writer = TestClient.connect("127.0.0.1", c.port());
        try (StreamedResponse events = c.stream(HttpMethod.GET, "/api/events", null, null)) {
            assertEquals("text/event-stream; charset=utf-8", events.headers().get("Content-Type"));
            String hello = new String(events.readChunk(), StandardCharsets.UTF_8);
            assertTrue(hello.startsWith("event: hello\ndata: 0\n"), hello);
            writer.postJson("/api/items", Map.of("title", "streamed"));
            String change = new String(events.readChunk(), StandardCharsets.UTF_8);
            assertTrue(change.startsWith("event: change\ndata: {"), change);
            assertTrue(change.contains("\"created\"") && change.contains("\"streamed\""), change);
        } finally {
            writer.close();
        }
    }

    @HttpTest
    void thePageIsServedFromTheStaticFolder(TestClients clients) throws Exception {
        TestClient c = clients.start(JsonApi.app(JsonApi.staticFolder()));
        TestResponse root = c.get("/");
        assertEquals(302, root.status());
        assertEquals("/static/index.html", root.header("Location"));
        TestResponse page = c.get("/static/index.html");
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.text().contains("<script src=\"/static/app.js\">"));
        assertEquals("text/javascript; charset=utf-8", c.get("/static/app.js").header("Content-Type"));
    }
}
