package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.http.JsonCodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Python's aiohttp client (Debian python3-aiohttp, run with /usr/bin/python3) against the server. */
class PythonAiohttpInteropTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aiohttpsClientSpeaksWithTheServer() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "/usr/bin/python3 is missing: skipping");
        Tools.Run probe = Tools.run(30, python.toString(), "-c", "import aiohttp");
        assumeTrue(probe.exit() == 0, "Python's aiohttp is not installed (Debian: apt-get install python3-aiohttp; "
                + ".ci/run installs it): skipping");
        Path dir = InteropApp.staticDir();
        Path script = Files.createTempFile("aiohttp_client", ".py");
        try (InputStream in = getClass().getResourceAsStream("/io/asyncio4j/http/interop/aiohttp_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (BackgroundServer server = BackgroundServer.start(InteropApp.create(dir))) {
            Tools.Run r = Tools.run(60, python.toString(), script.toString(), "http://127.0.0.1:" + server.port());
            assertEquals(0, r.exit(), r.out());
            String last = r.out().lines().reduce((a, b) -> b).orElse("");
            Map<?, ?> out = JsonCodec.defaultCodec().decode(last.getBytes(), Map.class);
            assertEquals(List.of(200, "text/plain; charset=utf-8", "Hello, World!"), out.get("hello"));
            assertEquals(Map.of("hello", "world", "n", 42), out.get("json"));
            assertEquals(Map.of("name", List.of("Ada"), "tag", List.of("x")), out.get("urlencoded"));
            assertEquals(Map.of("title", List.of("report"), "file:doc", "r.bin:10000"), out.get("multipart"));
            List<?> up = (List<?>) out.get("chunked_upload");
            assertEquals(up.get(1), up.get(0), "aiohttp's chunked upload arrived whole");
            assertEquals(10, ((List<?>) out.get("stream")).size());
            assertEquals(List.of("text/event-stream; charset=utf-8", 3), out.get("events"));
            assertEquals(List.of("gzip", InteropApp.BIG_TEXT.length()), out.get("big"));
            assertEquals(List.of(200, Integer.toString(2 * 1024 * 1024), 0), out.get("head"));
            assertEquals(List.of(206, "bytes 10-19/" + (2 * 1024 * 1024), 10), out.get("range"));
            assertEquals("session=s3cr3t", out.get("cookie"));
            assertEquals(404, out.get("missing"));
            assertEquals(List.of(405, "GET, HEAD, OPTIONS"), out.get("not_allowed"));
            assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200), out.get("concurrent"));
            assertTrue(((Number) out.get("pooled_connections")).intValue() >= 1, "aiohttp kept connections alive");
        } finally {
            Files.deleteIfExists(script);
            InteropApp.delete(dir);
        }
    }
}
