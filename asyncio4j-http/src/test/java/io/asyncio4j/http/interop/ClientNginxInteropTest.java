package io.asyncio4j.http.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.client.ClientOptions;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.client.ClientSslError;
import io.asyncio4j.http.client.RequestOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against a real nginx: static files of every size, gzip (chunked), keep-alive with
 * nginx's request limit (it closes every third response's connection), its idle timeout closing
 * pooled connections, redirects, statuses, concurrency over the pool, and TLS with a certificate
 * from openssl, verified.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientNginxInteropTest {
    private static Path prefix;
    private static Process nginx;
    private static int port;
    private static int tlsPort;
    private static byte[] big;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        String nginxBin = Tools.require("nginx", "nginx-light");
        String openssl = Tools.require("openssl", "openssl");
        prefix = Files.createTempDirectory("nginx-client");
        Path www = Files.createDirectories(prefix.resolve("www"));
        Files.writeString(www.resolve("small.txt"), "hello from nginx\n");
        Files.writeString(www.resolve("text.txt"), "nginx gzips this line.\n".repeat(5000));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        for (int i = 0; i < 50; i++) {
            Files.writeString(www.resolve("p" + i + ".txt"), "page " + i);
        }
        Tools.Run gen = Tools.run(60, prefix, openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        assertEquals(0, gen.exit(), gen.out());
        port = freePort();
        tlsPort = freePort();
        String p = prefix.toString();
        String conf = String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;", "pid " + p + "/nginx.pid;",
                "error_log " + p + "/error.log info;",
                "events { worker_connections 512; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + p + "/body; proxy_temp_path " + p + "/proxy;",
                "  fastcgi_temp_path " + p + "/fcgi; uwsgi_temp_path " + p + "/uwsgi; scgi_temp_path " + p + "/scgi;",
                "  types { text/plain txt; application/octet-stream bin; }",
                "  keepalive_requests 3; keepalive_timeout 1s;",
                "  gzip on; gzip_types text/plain; gzip_min_length 100;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    root " + www + ";",
                "    location = /moved { return 301 /small.txt; }",
                "    location = /teapot { return 418 'short and stout'; }",
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + tlsPort + " ssl;",
                "    ssl_certificate " + p + "/cert.pem; ssl_certificate_key " + p + "/key.pem;",
                "    root " + www + ";",
                "  }",
                "}", "");
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        nginx = new ProcessBuilder(nginxBin, "-p", p, "-c", p + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
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
        if (prefix != null) {
            InteropApp.delete(prefix);
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void staticFilesGzipAndStatusesArriveWhole() {
        Asyncio.run(() -> {
            try (ClientSession session = ClientSession.open()) {
                try (ClientResponse r = session.get(url("/small.txt"))) {
                    assertEquals(200, r.status());
                    assertEquals("hello from nginx\n", r.text());
                    assertTrue(r.header("Server").startsWith("nginx"));
                }
                try (ClientResponse r = session.get(url("/text.txt"))) {
                    assertEquals("gzip", r.header("Content-Encoding"));
                    assertEquals("chunked", r.header("Transfer-Encoding"), "nginx streams its gzip output chunked");
                    assertEquals("nginx gzips this line.\n".repeat(5000), r.text());
                }
                try (ClientResponse r = session.get(url("/big.bin"))) {
                    assertArrayEquals(big, r.read());
                }
                try (ClientResponse r = session.get(url("/moved"))) {
                    assertEquals("hello from nginx\n", r.text());
                    assertEquals(301, r.history().get(0).status());
                }
                try (ClientResponse r = session.get(url("/teapot"))) {
                    assertEquals(418, r.status());
                    assertEquals("short and stout", r.text());
                }
                try (ClientResponse r = session.get(url("/missing"))) {
                    assertEquals(404, r.status());
                }
                try (ClientResponse r = session.head(url("/big.bin"))) {
                    assertEquals(Integer.toString(big.length), r.header("Content-Length"));
                    assertEquals(0, r.read().length);
                }
            }
        });
    }

    @Test
    void nginxsKeepAliveLimitsNeverBreakARequest() {
        Asyncio.run(() -> {
            try (ClientSession session = ClientSession.open()) {
                for (int i = 0; i < 12; i++) {
                    try (ClientResponse r = session.get(url("/p" + i + ".txt"))) {
                        assertEquals("page " + i, r.text());
                    }
                }
                // keepalive_requests 3: every third response closes its connection
                assertEquals(4, session.poolStats().created());
                assertEquals(8, session.poolStats().reused());
                Asyncio.sleep(Duration.ofMillis(1500)); // past keepalive_timeout: nginx closes the idle one
                assertEquals(0, session.poolStats().connections(), "the idle connection nginx closed was dropped");
                try (ClientResponse r = session.get(url("/small.txt"))) {
                    assertEquals(200, r.status());
                }
            }
        });
    }

    @Test
    void manyConcurrentRequestsOverALimitedPool() {
        Asyncio.run(() -> {
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withLimit(8))) {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    int n = i % 50;
                    tasks.add(Asyncio.createTask(() -> {
                        try (ClientResponse r = session.get(url("/p" + n + ".txt"))) {
                            return r.text();
                        }
                    }));
                }
                for (int i = 0; i < 500; i++) {
                    assertEquals("page " + (i % 50), Asyncio.await(tasks.get(i)));
                }
                assertTrue(session.poolStats().connections() <= 8);
            }
        });
    }

    @Test
    void tlsToNginxIsVerifiedAgainstItsCertificate() throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(prefix.resolve("cert.pem"))) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("nginx", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        Asyncio.run(() -> {
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withSsl(ctx))) {
                try (ClientResponse r = session.get("https://localhost:" + tlsPort + "/big.bin")) {
                    assertArrayEquals(big, r.read());
                }
                try (ClientResponse r = session.get("https://localhost:" + tlsPort + "/small.txt")) {
                    assertEquals("hello from nginx\n", r.text(UTF_8));
                }
                assertEquals(1, session.poolStats().created());
            }
            try (ClientSession session = ClientSession.open()) {
                assertThrows(ClientSslError.class, () -> session.get("https://localhost:" + tlsPort + "/small.txt"),
                        "not trusted by the JDK's default store");
                try (ClientResponse r = session.get("https://localhost:" + tlsPort + "/small.txt",
                        RequestOptions.defaults().withInsecureNoTlsVerification())) {
                    assertEquals(200, r.status());
                }
            }
        });
    }
}
