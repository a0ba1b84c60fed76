package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdCompressCtx;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ContentCoding;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.StreamResponse;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.sync.Event;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The session's br and zstd decoding end to end, against our own server: the advertised
 * Accept-Encoding, bodies in one piece and streamed by chunk, broken ones, and the server's own
 * brotli compression (read back by this client and by curl).
 */
class ClientDecompressionTest {

    private static byte[] text(int size) {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder(size + 64);
        while (b.length() < size) {
            b.append("row ").append(r.nextInt(100_000)).append(", a compressible page of text\n");
        }
        return b.substring(0, size).getBytes(UTF_8);
    }

    private static byte[] encode(String coding, byte[] data) throws Exception {
        if (coding.equals("br")) {
            Brotli4jLoader.ensureAvailability(); // brotli4j's classes need its loader to have run
            return Encoder.compress(data, new Encoder.Parameters().setQuality(5));
        }
        // with a content checksum, as the zstd tool writes by default: without one, a corruption
        // that still parses decodes to other bytes unnoticed (as in brotli or deflate)
        try (ZstdCompressCtx c = new ZstdCompressCtx()) {
            return c.setLevel(3).setChecksum(true).compress(data);
        }
    }

    @HttpTest
    void theSessionAdvertisesBrAndZstdAndDecodesTheirBodies() throws Exception {
        byte[] text = text(200_000);
        Map<String, byte[]> bodies = Map.of("br", encode("br", text), "zstd", encode("zstd", text));
        Application app = new Application();
        app.router().get("/{coding}", r -> {
            Response resp = Response.bytes(bodies.get(r.matchInfo("coding")), "text/plain");
            resp.headers().set("Content-Encoding", r.matchInfo("coding"));
            resp.headers().set("X-Accept-Encoding", r.headers().getOrDefault("Accept-Encoding", ""));
            return resp;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            for (String coding : List.of("br", "zstd")) {
                try (ClientResponse r = session.get(s.url("/" + coding))) {
                    assertEquals("gzip, deflate, br, zstd", r.header("X-Accept-Encoding"));
                    assertEquals(coding, r.header("Content-Encoding"), "the header stays, as in aiohttp");
                    assertArrayEquals(text, r.read(), coding);
                }
            }
        }
        try (Served s = Served.start(app);
                ClientSession session = ClientSession.open(ClientOptions.defaults().withAutoDecompress(false))) {
            try (ClientResponse r = session.get(s.url("/br"))) {
                assertEquals("", r.header("X-Accept-Encoding"), "nothing advertised when not decoding");
                assertArrayEquals(bodies.get("br"), r.read(), "left as it is when asked");
            }
        }
    }

    @HttpTest
    void aCorruptOrTruncatedBodyIsAClientPayloadErrorNeverAShortBody() throws Exception {
        byte[] text = text(300_000);
        Application app = new Application();
        app.router().get("/{coding}/{how}", r -> {
            String coding = r.matchInfo("coding");
            byte[] body = encode(coding, text);
            switch (r.matchInfo("how")) {
                case "corrupt" -> {
                    for (int i = body.length / 2; i < body.length / 2 + 32; i++) {
                        body[i] ^= (byte) 0x5a;
                    }
                }
                case "truncated" -> body = Arrays.copyOf(body, body.length - 10);
                default -> throw new IllegalArgumentException(r.matchInfo("how"));
            }
            Response resp = Response.bytes(body, "text/plain");
            resp.headers().set("Content-Encoding", coding);
            return resp;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            for (String coding : List.of("br", "zstd")) {
                for (String how : List.of("corrupt", "truncated")) {
                    try (ClientResponse r = session.get(s.url("/" + coding + "/" + how))) {
                        ClientPayloadError e = assertThrows(ClientPayloadError.class, r::read, coding + " " + how);
                        assertInstanceOf(java.io.IOException.class, e.getCause(), e.toString());
                    }
                }
            }
            try (ClientResponse r = session.get(s.url("/br/truncated"))) {
                assertThrows(ClientPayloadError.class, () -> {
                    while (r.readAny().length > 0) {
                        // the pieces before the cut arrive; the end is the error, not an empty read
                    }
                });
            }
        }
    }

    @HttpTest
    void aLargeBodyIsSentAndDecodedChunkByChunkInBoundedPieces() throws Exception {
        // 64 MiB of text, compressed on the fly into chunks the server writes as they come; the
        // client's pieces are at most 64 KiB each, and add up to the same digest
        int size = 64 * 1024 * 1024;
        byte[] unit = text(1024 * 1024);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(repeat(unit, size / unit.length));
        Application app = new Application();
        app.router().get("/big/{coding}", r -> {
            String coding = r.matchInfo("coding");
            StreamResponse s = new StreamResponse();
            s.headers().set("Content-Encoding", coding);
            s.setContentType("text/plain");
            s.prepare(r);
            byte[] body = encode(coding, repeat(unit, size / unit.length));
            for (int i = 0; i < body.length; i += 8192) {
                s.write(Arrays.copyOfRange(body, i, Math.min(body.length, i + 8192)));
            }
            s.writeEof();
            return s;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            for (String coding : List.of("br", "zstd")) {
                try (ClientResponse r = session.get(s.url("/big/" + coding))) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    long total = 0;
                    int largest = 0;
                    int pieces = 0;
                    byte[] piece;
                    while ((piece = r.readAny()).length > 0) {
                        digest.update(piece);
                        total += piece.length;
                        largest = Math.max(largest, piece.length);
                        pieces++;
                    }
                    assertEquals(size, total, coding);
                    assertArrayEquals(expected, digest.digest(), coding);
                    assertTrue(largest <= 64 * 1024, coding + ": a piece of " + largest);
                    assertTrue(pieces >= size / (64 * 1024), coding + ": " + pieces + " pieces");
                }
            }
        }
    }

    private static byte[] repeat(byte[] unit, int times) {
        byte[] all = new byte[unit.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, all, i * unit.length, unit.length);
        }
        return all;
    }

    @HttpTest
    void theServerCompressesWithBrotliOnlyWhenAskedAndTheClientAcceptsIt() throws Exception {
        byte[] text = text(100_000);
        Event firstRead = new Event();
        Application app = new Application();
        app.router().get("/br", r -> {
            Response resp = Response.bytes(text, "text/plain");
            resp.enableCompression(ContentCoding.BROTLI);
            return resp;
        });
        app.router().get("/auto", r -> {
            Response resp = Response.bytes(text, "text/plain");
            resp.enableCompression();
            return resp;
        });
        app.router().get("/stream", r -> {
            StreamResponse s = new StreamResponse().enableCompression(ContentCoding.BROTLI);
            s.prepare(r);
            s.write("first part\n");
            firstRead.waitUntilSet(); // each write is flushed: the client decodes it before the end
            s.write("second part\n");
            s.writeEof();
            return s;
        });
        try (Served s = Served.start(app); ClientSession session = ClientSession.open()) {
            try (ClientResponse r = session.get(s.url("/br"))) {
                assertEquals("br", r.header("Content-Encoding"));
                assertEquals("Accept-Encoding", r.header("Vary"));
                assertArrayEquals(text, r.read());
            }
            try (ClientResponse r = session.get(s.url("/br"), RequestOptions.defaults()
                    .withHeaders("Accept-Encoding", "gzip;q=1, br;q=0"))) {
                assertNull(r.header("Content-Encoding"), "br refused: sent as it is");
                assertArrayEquals(text, r.read());
            }
            try (ClientResponse r = session.get(s.url("/auto"))) {
                assertEquals("gzip", r.header("Content-Encoding"), "brotli only when asked for");
            }
            try (ClientResponse r = session.get(s.url("/stream"))) {
                assertEquals("br", r.header("Content-Encoding"));
                assertEquals("first part\n", new String(r.content().readLine(), UTF_8));
                firstRead.set();
                assertEquals("second part\n", new String(r.content().readLine(), UTF_8));
                assertEquals(0, r.readAny().length);
            }
        }
    }

    @HttpTest
    void curlDecodesTheServersBrotli() throws Exception {
        String curl = onPath("curl");
        assumeTrue(curl != null, "curl is not installed");
        Process v = new ProcessBuilder(curl, "-V").redirectErrorStream(true).start();
        String features = new String(v.getInputStream().readAllBytes(), UTF_8);
        v.waitFor();
        assumeTrue(features.contains(" brotli"), "this curl has no brotli: " + features);
        byte[] text = text(100_000);
        Application app = new Application();
        app.router().get("/br", r -> {
            Response resp = Response.bytes(text, "text/plain");
            resp.enableCompression(ContentCoding.BROTLI);
            return resp;
        });
        try (Served s = Served.start(app)) {
            Path dir = Files.createTempDirectory("curl-br");
            try {
                Path body = dir.resolve("body");
                Path head = dir.resolve("head");
                // curl runs on a thread of the default executor: the loop keeps serving meanwhile
                int exit = io.asyncio4j.Asyncio.toThread(() -> {
                    Process p = new ProcessBuilder(curl, "-s", "--compressed", "-H", "Accept-Encoding: br",
                            "-D", head.toString(), "-o", body.toString(), s.url("/br")).redirectErrorStream(true)
                            .start();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        return -1;
                    }
                    return p.exitValue();
                });
                assertEquals(0, exit);
                assertTrue(Files.readString(head).toLowerCase(java.util.Locale.ROOT).contains("content-encoding: br"),
                        Files.readString(head));
                assertArrayEquals(text, Files.readAllBytes(body), "curl's libbrotli decoded our brotli4j");
            } finally {
                for (File f : dir.toFile().listFiles()) {
                    Files.delete(f.toPath());
                }
                Files.delete(dir);
            }
        }
    }

    private static String onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
