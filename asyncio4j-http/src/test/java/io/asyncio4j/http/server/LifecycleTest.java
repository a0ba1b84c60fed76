package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static io.asyncio4j.http.server.HttpTesting.connect;
import static io.asyncio4j.http.server.HttpTesting.readAll;
import static io.asyncio4j.http.server.HttpTesting.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.transport.ExtraInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up, shutdown and cleanup in aiohttp's order; several listeners; runApp and signals. */
class LifecycleTest {

    @AsyncioTest
    void hooksAndCleanupContextsRunInAiohttpsOrder() throws Exception {
        List<String> events = new ArrayList<>();
        Application sub = new Application();
        sub.onStartup(a -> events.add("sub startup"));
        sub.onCleanup(a -> events.add("sub cleanup"));
        Application app = new Application();
        app.cleanupContext(a -> {
            events.add("ctx1 enter");
            return () -> events.add("ctx1 exit");
        });
        app.cleanupContext(a -> {
            events.add("ctx2 enter");
            return () -> events.add("ctx2 exit");
        });
        app.onStartup(a -> events.add("startup"));
        app.onShutdown(a -> events.add("shutdown"));
        app.onCleanup(a -> events.add("cleanup"));
        app.addSubApp("/sub", sub);
        AppRunner runner = new AppRunner(app);
        runner.setup();
        assertEquals(List.of("ctx1 enter", "ctx2 enter", "startup", "sub startup"), events);
        events.clear();
        runner.cleanup();
        assertEquals(List.of("shutdown", "ctx2 exit", "ctx1 exit", "cleanup", "sub cleanup"), events);
        runner.cleanup(); // idempotent
    }

    @AsyncioTest
    void aFailedStartupLeavesTheContextsItEntered() throws Exception {
        List<String> events = new ArrayList<>();
        Application app = new Application();
        app.cleanupContext(a -> {
            events.add("enter");
            return () -> events.add("exit");
        });
        app.onStartup(a -> {
            throw new IllegalStateException("no database");
        });
        AppRunner runner = new AppRunner(app);
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::setup);
        assertEquals("no database", e.getMessage());
        assertEquals(List.of("enter", "exit"), events);
    }

    @AsyncioTest
    void failingCleanupHooksAllRunAndAreReportedTogether() throws Exception {
        List<String> events = new ArrayList<>();
        Application app = new Application();
        app.onShutdown(a -> {
            throw new IOException("shutdown failed");
        });
        app.onCleanup(a -> {
            events.add("cleanup 1");
            throw new IOException("cleanup failed");
        });
        app.onCleanup(a -> events.add("cleanup 2"));
        AppRunner runner = new AppRunner(app);
        runner.setup();
        CleanupError e = assertThrows(CleanupError.class, runner::cleanup);
        assertEquals("shutdown failed", e.getCause().getMessage());
        assertEquals("cleanup failed", e.getCause().getSuppressed()[0].getMessage());
        assertEquals(List.of("cleanup 1", "cleanup 2"), events);
    }

    @AsyncioTest
    void gracefulShutdownClosesIdleConnectionsLetsRequestsFinishAndCancelsTheSlowest() throws Exception {
        List<String> events = new ArrayList<>();
        Future<Void> started = Asyncio.createFuture();
        Future<Void> slowStarted = Asyncio.createFuture();
        Application app = new Application();
        app.router().get("/fast", r -> Response.text("fast"));
        app.router().get("/finishing", r -> {
            started.setResult(null);
            Asyncio.sleep(Duration.ofMillis(200));
            events.add("finishing done");
            return Response.text("finished");
        });
        app.router().get("/forever", r -> {
            slowStarted.setResult(null);
            try {
                Asyncio.sleep(Duration.ofSeconds(30));
            } catch (CancelledError e) {
                events.add("forever cancelled");
                throw e;
            }
            return Response.text("never");
        });
        app.onShutdown(a -> events.add("shutdown hook"));
        app.onCleanup(a -> events.add("cleanup hook"));
        AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false)
                .withShutdownTimeout(Duration.ofMillis(600)));
        runner.setup();
        int port = runner.addTcpSite("127.0.0.1", 0).port();
        Streams.Connection idle = connect(port);
        idle.writer().write(ascii("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
        readUntil(idle, "fast", 3000);
        Streams.Connection finishing = connect(port);
        finishing.writer().write(ascii("GET /finishing HTTP/1.1\r\nHost: x\r\n\r\n"));
        Streams.Connection forever = connect(port);
        forever.writer().write(ascii("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n"));
        Asyncio.await(started);
        Asyncio.await(slowStarted);
        Task<Void> stop = Asyncio.createTask(() -> {
            runner.cleanup();
            events.add("cleanup returned");
        });
        Asyncio.sleep(Duration.ofMillis(50));
        assertThrows(ConnectException.class, () -> connect(port), "no longer listening");
        assertTrue(readAll(idle, 1000).endsWith("<EOF>"), "the idle connection was closed at once");
        String reply = readAll(finishing, 3000);
        assertTrue(reply.startsWith("HTTP/1.1 200") && reply.contains("Connection: close")
                && reply.endsWith("finished<EOF>"), "the request in flight finished, then its connection closed: " + reply);
        String cut = readAll(forever, 3000);
        assertTrue(cut.endsWith("<EOF>") && !cut.contains("never"), cut);
        Asyncio.await(stop);
        assertEquals(List.of("shutdown hook", "finishing done", "forever cancelled", "cleanup hook", "cleanup returned"),
                events);
        idle.close();
        finishing.close();
        forever.close();
    }

    @HttpTest
    void severalListenersTcpTlsWithAlpnAndUnix(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/who", r -> Response.text(r.scheme() + " " + r.transportInfo(ExtraInfo.ALPN_PROTOCOL) + " "
                + r.secure()));
        Path dir = Files.createTempDirectory("http-unix");
        Path sock = dir.resolve("app.sock");
        try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false))) {
            runner.setup();
            Site tcp = runner.addTcpSite("127.0.0.1", 0);
            Site tls = runner.addTlsSite("127.0.0.1", 0, TestTls.get().serverContext());
            Site unix = runner.addUnixSite(sock);
            assertTrue(tls.isTls());
            assertEquals("http://127.0.0.1:" + tcp.port(), tcp.url());
            assertEquals("https://127.0.0.1:" + tls.port(), tls.url());
            TestClient plain = TestClient.connect("127.0.0.1", tcp.port());
            assertEquals("http null false", plain.get("/who").text());
            plain.close();
            TestClient secure = TestClient.connectTls("localhost", tls.port(), TestTls.get().clientContext());
            assertEquals("https http/1.1 true", secure.get("/who").text());
            secure.close();
            Streams.Connection u = Streams.openUnixConnection(sock);
            u.writer().write(ascii("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            assertTrue(readAll(u, 3000).endsWith("http null false<EOF>"));
            u.close();
        }
        assertTrue(!Files.exists(sock), "the socket file is removed");
        Files.deleteIfExists(dir);
    }

    @Test
    void runAppServesUntilSigtermThenShutsDownGracefully() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), RunAppMain.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("(Press CTRL+C")) {
                lines.add(line);
            }
            assertTrue(lines.contains("======== Running on http://127.0.0.1:" + port + " ========"), lines.toString());
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
                c.getOutputStream().write(ascii("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
                c.getOutputStream().flush();
                assertEquals("handler started", out.readLine());
                // SIGTERM while the request is in flight (Process.destroy would also close our pipes)
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                byte[] reply = c.getInputStream().readAllBytes();
                String text = HttpTesting.text(reply);
                assertTrue(text.startsWith("HTTP/1.1 200") && text.endsWith("slow done"), text);
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server stopped");
            assertEquals(0, p.exitValue());
            List<String> rest = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                rest.add(line);
            }
            assertEquals(List.of("shutdown", "context left", "cleanup", "runApp returned"), rest);
            assertEquals(List.of("context entered", "startup"), lines.subList(0, 2));
        } finally {
            p.destroyForcibly();
        }
    }
}
