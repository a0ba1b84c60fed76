package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.internal.h1.Corpus;
import io.asyncio4j.http.internal.h1.Exchanges;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.transport.ExtraInfo;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * nginx as a reverse proxy in front of the server, with upstream keep-alive: requests, bodies
 * and streams pass in both directions, upstream connections are reused, nginx logs no upstream
 * error, and for every accepted corpus case both agree on how many requests and which body
 * bytes there were.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxProxyInteropTest {
    private static Path prefix;
    private static Path dir;
    private static BackgroundServer server;
    private static Process nginx;
    private static int nginxPort;
    private static String curl;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        String nginxBin = Tools.require("nginx", "nginx-light");
        curl = Tools.require("curl", "curl");
        dir = InteropApp.staticDir();
        Application app = InteropApp.create(dir);
        app.router().get("/peer", r -> Response.text(Integer.toString(
                ((InetSocketAddress) r.transportInfo(ExtraInfo.PEERNAME)).getPort())));
        app.router().any("/corpus/{rest:.*}", r -> Response.text(r.method() + " " + r.read().length + "\n"));
        server = BackgroundServer.start(app);
        prefix = Files.createTempDirectory("nginx-proxy");
        nginxPort = freePort();
        String p = prefix.toString();
        String conf = String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;", "pid " + p + "/nginx.pid;",
                "error_log " + p + "/error.log info;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + p + "/body; proxy_temp_path " + p + "/proxy;",
                "  fastcgi_temp_path " + p + "/fcgi; uwsgi_temp_path " + p + "/uwsgi; scgi_temp_path " + p + "/scgi;",
                "  client_max_body_size 64m;",
                "  upstream app { server 127.0.0.1:" + server.port() + "; keepalive 4; }",
                "  server {",
                "    listen 127.0.0.1:" + nginxPort + ";",
                "    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\"; }",
                "    location /unbuffered/ { proxy_pass http://app/; proxy_http_version 1.1;",
                "      proxy_set_header Connection \"\"; proxy_buffering off; proxy_request_buffering off; }",
                "  }",
                "}", "");
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        nginx = new ProcessBuilder(nginxBin, "-p", p, "-c", p + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            Tools.Run r = Tools.run(10, curl, "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + nginxPort + "/");
            if (r.out().equals("200")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nginx did not come up: " + Files.readString(prefix.resolve("error.log")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
        InteropApp.delete(prefix);
        InteropApp.delete(dir);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + nginxPort + path;
    }

    private static void noUpstreamErrors() throws Exception {
        String log = Files.readString(prefix.resolve("error.log"));
        for (String bad : new String[] {"upstream prematurely closed", "upstream sent invalid", "upstream sent no valid",
            "upstream sent too big", "readv() failed", "recv() failed", "upstream timed out", "[error]", "[crit]"}) {
            assertFalse(log.contains(bad), "nginx logged '" + bad + "':\n" + log);
        }
    }

    @Test
    void upstreamConnectionsAreKeptAlive() throws Exception {
        Set<String> ports = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            Tools.Run r = Tools.run(10, curl, "-s", url("/peer"));
            ports.add(r.out());
        }
        assertTrue(ports.size() <= 4, "nginx reused its upstream connections: " + ports);
        noUpstreamErrors();
    }

    @Test
    void bodiesStreamsFilesAndStatusesPassBothWays() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        Arrays.fill(body, (byte) 'n');
        Path f = prefix.resolve("up.bin");
        Files.write(f, body);
        for (String base : new String[] {"", "/unbuffered"}) {
            Tools.Run up = Tools.run(30, curl, "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + f,
                    url(base + "/echo"));
            assertTrue(up.out().startsWith("len=" + body.length + " sha=" + InteropApp.sha256(body)), base + ": "
                    + up.out());
            Tools.Run stream = Tools.run(30, curl, "-sN", url(base + "/stream"));
            assertEquals(10, stream.out().lines().count(), stream.out());
            Path out = prefix.resolve("data.bin");
            Tools.Run file = Tools.run(30, curl, "-s", "-o", out.toString(), "-w", "%{http_code}",
                    url(base + "/static/data.bin"));
            assertEquals("200", file.out());
            assertArrayEquals(Files.readAllBytes(dir.resolve("data.bin")), Files.readAllBytes(out));
            Tools.Run head = Tools.run(10, curl, "-sI", url(base + "/static/page.html"));
            assertTrue(head.out().contains("Content-Length: 38"), head.out());
            assertEquals("404", Tools.run(10, curl, "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    url(base + "/missing")).out());
            assertEquals("206", Tools.run(10, curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "-r", "0-9",
                    url(base + "/static/data.bin")).out());
            Tools.Run gz = Tools.run(10, curl, "-s", "--compressed", url(base + "/big"));
            assertEquals(InteropApp.BIG_TEXT, gz.out());
        }
        noUpstreamErrors();
    }

    @Test
    void nginxAndTheServerAgreeOnTheFramingOfEveryAcceptedCorpusCase() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Corpus.Case c : Corpus.load()) {
            if (!c.accepted() || c.raw().length > 2_000_000 || c.target() != null && !c.target().startsWith("/")) {
                continue;
            }
            String raw = new String(c.raw(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!raw.matches("(?s)(\\r\\n)*[A-Z]+ /.*") || raw.contains("OPTIONS *") || raw.startsWith("CONNECT")) {
                continue; // nginx proxies origin-form targets of the methods it knows
            }
            byte[] viaNginx = raw.replaceAll("([A-Z]+) /", "$1 /corpus/").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            Exchanges.Answer a = Exchanges.exchange(nginxPort, viaNginx, c.count(), 500);
            if (!a.accepted()) {
                continue; // nginx refused it itself: no framing reached the server
            }
            checked++;
            long bodyBytes = a.bodies().lines().filter(l -> !l.isEmpty())
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            if (a.statuses().size() != c.count()) {
                problems.add(c.name() + ": " + a.statuses().size() + " answers for " + c.count() + " requests");
            }
            if (c.body() != null && bodyBytes != c.body().length) {
                problems.add(c.name() + ": the server saw " + bodyBytes + " body bytes, the corpus has "
                        + c.body().length);
            }
        }
        assertTrue(checked > 40, "cases checked: " + checked);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        noUpstreamErrors();
    }
}
