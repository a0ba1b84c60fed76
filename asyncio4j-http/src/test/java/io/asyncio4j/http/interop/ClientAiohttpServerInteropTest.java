package io.asyncio4j.http.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.client.ClientOptions;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientResponseError;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.client.CookieJar;
import io.asyncio4j.http.client.Multipart;
import io.asyncio4j.http.client.RequestBody;
import io.asyncio4j.http.client.RequestOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against Python's aiohttp server (Debian python3-aiohttp, /usr/bin/python3). */
class ClientAiohttpServerInteropTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theClientSpeaksWithAiohttpsServer() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "/usr/bin/python3 is missing: skipping");
        Tools.Run probe = Tools.run(30, python.toString(), "-c", "import aiohttp");
        assumeTrue(probe.exit() == 0, "Python's aiohttp is not installed (Debian: apt-get install python3-aiohttp; "
                + ".ci/run installs it): skipping");
        Path script = Files.createTempFile("aiohttp_server", ".py");
        try (InputStream in = getClass().getResourceAsStream("/io/asyncio4j/http/interop/aiohttp_server.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python.toString(), script.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("ready "), "the server did not start: " + ready);
            String base = "http://127.0.0.1:" + ready.substring(6).trim();
            Path file = Files.createTempFile("upload", ".bin");
            byte[] data = new byte[500_000];
            data[data.length - 1] = 9;
            Files.write(file, data);
            try {
                Asyncio.run(() -> talk(base, file));
            } finally {
                Files.delete(file);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(script);
        }
    }

    private static void talk(String base, Path file) throws Exception {
        try (ClientSession session = ClientSession.open(ClientOptions.defaults().withBaseUrl(base)
                .withCookieJar(CookieJar.unsafe()))) {
            try (ClientResponse r = session.get("/hello")) {
                assertEquals(200, r.status());
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
                assertEquals("Hello from aiohttp", r.text());
            }
            try (ClientResponse r = session.post("/json", RequestBody.json(Map.of("name", "Ada", "n", 42)))) {
                assertEquals(Map.of("got", Map.of("name", "Ada", "n", 42), "ct", "application/json"),
                        r.json(Map.class));
            }
            try (ClientResponse r = session.post("/form", RequestBody.form("name", "Ada Lovelace", "tag", "a&b",
                    "tag", "\u00e9"))) {
                assertEquals(Map.of("name", List.of("Ada Lovelace"), "tag", List.of("a&b", "\u00e9")), r.json(Map.class));
            }
            try (ClientResponse r = session.post("/multipart", Multipart.formData().field("title", "report")
                    .file("doc", file, null))) {
                assertEquals(Map.of("title", java.util.Arrays.asList(null, 6, (int) 't'),
                        "doc", List.of(file.getFileName().toString(), 500_000, 9)), r.json(Map.class));
            }
            List<byte[]> chunks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                chunks.add(new byte[10_000]);
            }
            try (ClientResponse r = session.put("/upload", RequestBody.stream(chunks, "application/octet-stream"))) {
                assertEquals(Map.of("bytes", 500_000, "chunked", "chunked"), r.json(Map.class));
            }
            try (ClientResponse r = session.get("/stream")) {
                int rows = 0;
                for (byte[] line : r.content()) {
                    assertEquals("row " + rows + "\n", new String(line, UTF_8));
                    rows++;
                }
                assertEquals(20, rows);
            }
            try (ClientResponse r = session.get("/compressed")) {
                assertEquals("deflate", r.header("Content-Encoding"), "aiohttp picks deflate from 'gzip, deflate'");
                assertEquals("squeeze ".repeat(20000), r.text());
            }
            session.get("/cookie").close();
            try (ClientResponse r = session.get("/show-cookie")) {
                assertEquals("py123", r.text());
            }
            try (ClientResponse r = session.get("/redirect")) {
                assertEquals("Hello from aiohttp", r.text());
                assertEquals(302, r.history().get(0).status());
            }
            ClientResponseError e = org.junit.jupiter.api.Assertions.assertThrows(ClientResponseError.class,
                    () -> session.get("/busy", RequestOptions.defaults().withRaiseForStatus(true)));
            assertEquals(503, e.status());
            try (ClientResponse r = session.get("/query", RequestOptions.defaults()
                    .withParams(Params.of("q", "a b&c", "q", "\u20ac", "empty", "")))) {
                assertEquals(Map.of("q", List.of("a b&c", "\u20ac"), "empty", List.of("")), r.json(Map.class));
            }
            long created = 0;
            for (int round = 0; round < 2; round++) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    tasks.add(Asyncio.createTask(() -> {
                        try (ClientResponse r = session.get("/hello")) {
                            r.read();
                            return r.status();
                        }
                    }));
                }
                for (Task<Integer> t : tasks) {
                    assertEquals(200, Asyncio.await(t));
                }
                if (round == 0) {
                    created = session.poolStats().created();
                }
            }
            assertEquals(created, session.poolStats().created(), "the second round reused aiohttp's kept-alive "
                    + "connections: " + session.poolStats());
        }
    }
}
