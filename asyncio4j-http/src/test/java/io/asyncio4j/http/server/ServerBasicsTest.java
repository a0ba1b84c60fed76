package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request/response cycle end to end through the test kit. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerBasicsTest {

    @Test
    void getAnswersWithTextAndKeepsTheConnection() {
        run(() -> {
            Application app = new Application();
            app.router().get("/", req -> Response.text("Hello, World!"));
            try (TestClient c = TestClient.start(app)) {
                TestResponse r = c.get("/");
                assertEquals(200, r.status());
                assertEquals("Hello, World!", r.text());
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
                assertEquals("13", r.header("Content-Length"));
                assertTrue(r.header("Date").endsWith(" GMT"));
                assertNull(r.header("Connection"));
                assertEquals(1, c.runner().connectionCount());
                assertEquals("Hello, World!", c.get("/").text());
                assertEquals(1, c.runner().connectionCount(), "the second request reused the connection");
            }
        });
    }

    @Test
    void handlersMaySuspendAnywhere() {
        run(() -> {
            Application app = new Application();
            app.router().get("/slow", req -> {
                Asyncio.sleep(java.time.Duration.ofMillis(50));
                return Response.text("late");
            });
            try (TestClient c = TestClient.start(app)) {
                assertEquals("late", c.get("/slow").text());
            }
        });
    }

    @Test
    void jsonInAndOut() {
        run(() -> {
            Application app = new Application();
            app.router().post("/echo", req -> {
                Map<?, ?> in = req.json(Map.class);
                return Response.json(Map.of("got", in.get("name"), "n", 3)).setStatus(HttpStatus.CREATED);
            });
            try (TestClient c = TestClient.start(app)) {
                TestResponse r = c.postJson("/echo", Map.of("name", "Ada"));
                assertEquals(201, r.status());
                assertEquals("application/json", r.header("Content-Type"));
                Map<?, ?> out = r.json(Map.class);
                assertEquals("Ada", out.get("got"));
                assertEquals(3, ((Number) out.get("n")).intValue());
                TestResponse bad = c.post("/echo", ascii("{not json"), "application/json");
                assertEquals(400, bad.status());
            }
        });
    }

    @Test
    void notFoundMethodNotAllowedHeadAndOptions() {
        run(() -> {
            Application app = new Application();
            app.router().get("/r", req -> Response.text("body!"));
            app.router().post("/r", req -> Response.text("posted"));
            try (TestClient c = TestClient.start(app)) {
                assertEquals(404, c.get("/nothing").status());
                assertEquals("404: Not Found", c.get("/nothing").text());
                TestResponse put = c.request(HttpMethod.PUT, "/r", null, ascii("x"));
                assertEquals(405, put.status());
                assertEquals("GET, HEAD, OPTIONS, POST", put.header("Allow"));
                TestResponse head = c.head("/r");
                assertEquals(200, head.status());
                assertEquals("5", head.header("Content-Length"));
                assertEquals(0, head.body().length);
                TestResponse opt = c.request(HttpMethod.OPTIONS, "/r", null, null);
                assertEquals(204, opt.status());
                assertEquals("GET, HEAD, OPTIONS, POST", opt.header("Allow"));
                assertEquals("body!", c.get("/r").text(), "the connection survived the HEAD");
            }
        });
    }

    @Test
    void streamResponseIsChunkedAndEndsWithTrailers() {
        run(() -> {
            Application app = new Application();
            app.router().get("/s", req -> {
                StreamResponse r = new StreamResponse();
                r.setContentType("text/plain");
                r.prepare(req);
                for (int i = 0; i < 5; i++) {
                    r.write("line " + i + "\n");
                    Asyncio.sleep(java.time.Duration.ofMillis(1));
                }
                r.writeEof(Headers.of("X-Sum", "10"));
                return r;
            });
            try (TestClient c = TestClient.start(app)) {
                TestResponse r = c.get("/s");
                assertEquals("chunked", r.header("Transfer-Encoding"));
                assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", r.text());
                assertEquals("10", r.trailers().get("X-Sum"));
            }
        });
    }

    @Test
    void handlerExceptionIsA500WithoutDetails() {
        run(() -> {
            Application app = new Application();
            app.router().get("/boom", req -> {
                throw new IllegalStateException("secret detail");
            });
            try (TestClient c = TestClient.start(app)) {
                TestResponse r = c.get("/boom");
                assertEquals(500, r.status());
                assertFalse(r.text().contains("secret"), r.text());
                assertFalse(r.text().contains("IllegalState"), r.text());
            }
        });
    }

    @Test
    void routeParametersAreDecoded() {
        run(() -> {
            Application app = new Application();
            app.router().get("/users/{id:\\d+}", req -> Response.text("user " + req.matchInfo("id")));
            app.router().get("/files/{name}", req -> Response.text("file " + req.matchInfo("name")));
            app.router().get("/tail/{rest:.*}", req -> Response.text("tail " + req.matchInfo("rest")));
            try (TestClient c = TestClient.start(app)) {
                assertEquals("user 42", c.get("/users/42").text());
                assertEquals(404, c.get("/users/ab").status());
                assertEquals("file a b", c.get("/files/a%20b").text());
                assertEquals("file a/b", c.get("/files/a%2Fb").text(), "an encoded slash stays in one segment");
                assertEquals(404, c.get("/files/a/b").status());
                assertEquals("tail x/y/z", c.get("/tail/x/y/z").text());
                byte[] euro = c.get("/files/%E2%82%AC").body();
                assertArrayEquals(ascii("file \u00e2\u0082\u00ac"), euro);
            }
        });
    }
}
