package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.asyncio4j.http.JsonCodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Node's http client (a keep-alive agent) against the server. */
class NodeClientInteropTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void nodesHttpClientSpeaksWithTheServer() throws Exception {
        String node = Tools.require("node", "nodejs");
        Path dir = InteropApp.staticDir();
        Path script = Files.createTempFile("node_client", ".js");
        try (InputStream in = getClass().getResourceAsStream("/io/asyncio4j/http/interop/node_client.js")) {
            Files.write(script, in.readAllBytes());
        }
        try (BackgroundServer server = BackgroundServer.start(InteropApp.create(dir))) {
            Tools.Run r = Tools.run(60, node, script.toString(), "http://127.0.0.1:" + server.port());
            assertEquals(0, r.exit(), r.out());
            String last = r.out().lines().reduce((a, b) -> b).orElse("");
            Map<?, ?> out = JsonCodec.defaultCodec().decode(last.getBytes(), Map.class);
            assertEquals(List.of(200, "Hello, World!"), out.get("hello"));
            assertEquals(Map.of("hello", "world", "n", 42), out.get("json"));
            assertEquals(true, out.get("reused"), "the agent reused the keep-alive connection");
            List<?> up = (List<?>) out.get("chunked_upload");
            assertEquals(up.get(1), up.get(0));
            assertEquals(List.of("chunked", 10), out.get("stream"));
            assertEquals(List.of("gzip", InteropApp.BIG_TEXT.length()), out.get("big"));
            assertEquals(List.of(200, Integer.toString(2 * 1024 * 1024), 0), out.get("head"));
            assertEquals(List.of(206, 100), out.get("range"));
            assertEquals(Map.of("a", List.of("1", "2"), "b", List.of("x y")), out.get("form"));
            assertEquals(12, ((List<?>) out.get("concurrent")).stream().filter(s -> ((Number) s).intValue() == 200)
                    .count());
            assertEquals(404, out.get("missing"));
        } finally {
            Files.deleteIfExists(script);
            InteropApp.delete(dir);
        }
    }
}
