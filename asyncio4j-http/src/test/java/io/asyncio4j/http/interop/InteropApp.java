package io.asyncio4j.http.interop;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.EventSourceResponse;
import io.asyncio4j.http.server.FileField;
import io.asyncio4j.http.server.FormData;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.StreamResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The application every interop test serves to its real client. */
final class InteropApp {
    private InteropApp() {
    }

    /** A text that compresses well, for the compression checks. */
    static final String BIG_TEXT = "compressible text, ".repeat(5000);

    static Application create(Path staticDir) {
        Application app = new Application().setClientMaxSize(64L * 1024 * 1024);
        app.router().get("/", r -> Response.text("Hello, World!"));
        app.router().get("/json", r -> Response.json(Map.of("hello", "world", "n", 42)));
        app.router().post("/echo", r -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long n = 0;
            for (byte[] chunk : r.content()) {
                sha.update(chunk);
                n += chunk.length;
            }
            return Response.text("len=" + n + " sha=" + HexFormat.of().formatHex(sha.digest()) + " chunked="
                    + (r.contentLength() < 0));
        });
        app.router().post("/form", r -> {
            FormData f = r.post();
            Map<String, Object> out = new LinkedHashMap<>();
            for (String name : f.fields().names()) {
                out.put(name, f.getAll(name));
            }
            for (FileField file : f.files()) {
                out.put("file:" + file.name(), file.filename() + ":" + file.content().length);
            }
            return Response.json(out);
        });
        app.router().get("/stream", r -> {
            StreamResponse s = new StreamResponse();
            s.setContentType("text/plain");
            s.prepare(r);
            for (int i = 0; i < 10; i++) {
                s.write("line " + i + "\n");
                Asyncio.sleep(Duration.ofMillis(2));
            }
            s.writeEof();
            return s;
        });
        app.router().get("/events", r -> {
            EventSourceResponse sse = new EventSourceResponse();
            sse.prepare(r);
            for (int i = 0; i < 3; i++) {
                sse.send("event " + i, "tick", Integer.toString(i), null);
            }
            return sse;
        });
        app.router().get("/big", r -> {
            Response resp = Response.text(BIG_TEXT);
            resp.enableCompression();
            return resp;
        });
        app.router().get("/cookie", r -> {
            Response resp = Response.text("set");
            resp.setCookie(Cookie.of("session", "s3cr3t").withPath("/").withHttpOnly(true));
            return resp;
        });
        app.router().get("/whoami", r -> Response.text("session=" + r.cookies().getOrDefault("session", "none")));
        app.router().get("/slow", r -> {
            Asyncio.sleep(Duration.ofMillis(50));
            return Response.text("slow");
        });
        if (staticDir != null && Files.isDirectory(staticDir)) {
            app.router().addStatic("/static", staticDir);
        }
        return app;
    }

    /** {@return a directory with a 2 MiB file, for static and range checks} */
    static Path staticDir() throws java.io.IOException {
        Path d = Files.createTempDirectory("interop-static");
        byte[] b = new byte[2 * 1024 * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 13 + (i >> 8));
        }
        Files.write(d.resolve("data.bin"), b);
        Files.writeString(d.resolve("page.html"), "<html><body>static page</body></html>\n");
        return d;
    }

    static void delete(Path d) throws java.io.IOException {
        if (d == null) {
            return;
        }
        try (var s = Files.walk(d)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
