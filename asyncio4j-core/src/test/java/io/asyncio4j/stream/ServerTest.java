package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.eventually;
import static io.asyncio4j.stream.NetTesting.port;
import static io.asyncio4j.stream.NetTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transports;
import java.time.Duration;

/** Servers: asyncio rules N12 and N13, sockets(), Unix domain sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerTest {
    private Path dir;

    @BeforeEach
    void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("a4j");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Echoes lines until the end of the stream, then closes. */
    private static void echo(StreamReader r, StreamWriter w) throws IOException {
        for (byte[] line : r) {
            w.write(line);
            w.drain();
        }
        w.close();
    }

    private static String roundTrip(Streams.Connection c, String line) throws IOException {
        c.writer().write(bytes(line + "\n"));
        c.writer().drain();
        return text(c.reader().readLine());
    }

    // ------------------------------------------------------------------ N12

    @Test
    void aServerOnTheIpv4WildcardListensOnIpv4Only() {
        AsyncTesting.run(() -> {
            try (Server s = Streams.startServer((r, w) -> w.close(), "0.0.0.0", 0)) {
                InetSocketAddress bound = (InetSocketAddress) s.sockets().get(0);
                assertInstanceOf(java.net.Inet4Address.class, bound.getAddress(), "not a dual-stack [::] socket");
                assertEquals("0.0.0.0", bound.getAddress().getHostAddress());
                Streams.openConnection("127.0.0.1", bound.getPort()).close();
                if (NetTesting.ipv6Loopback()) {
                    assertThrows(ConnectException.class, () -> Streams.openConnection("::1", bound.getPort()),
                            "an IPv4 listener does not accept IPv6 clients");
                }
            }
        });
    }

    @Test
    void aFailingHandlerIsReportedAndItsClientSeesTheEndOfTheStream() {
        AtomicReference<byte[]> clientGot = new AtomicReference<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                w.write(bytes("partial"));
                throw new IllegalStateException("handler bug");
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                clientGot.set(c.reader().read()); // to the end of the stream
                c.close();
            }
        });
        assertEquals("partial", text(clientGot.get()), "the buffered data is flushed, then EOF");
        List<ExceptionContext> all = reports.all();
        assertEquals(1, all.size(), reports.messages().toString());
        assertEquals("Unhandled exception in client_connected_cb", all.get(0).message());
        assertInstanceOf(IllegalStateException.class, all.get(0).exception());
    }

    @Test
    void aCancelledHandlerClosesItsConnectionQuietly() {
        AsyncTesting.run(() -> {
            AtomicReference<Task<?>> handler = new AtomicReference<>();
            try (Server server = Streams.startServer((r, w) -> {
                handler.set(io.asyncio4j.Asyncio.currentTask());
                r.read();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                eventually(5000, "the handler runs", () -> handler.get() != null);
                handler.get().cancel();
                assertEquals(0, c.reader().read().length, "the client sees the end of the stream");
                c.close();
            }
        });
    }

    // ------------------------------------------------------------------ N13

    @Test
    void stopListeningRefusesNewClientsButKeepsTheConnectedOnes() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            int port = port(server);
            Streams.Connection c = Streams.openConnection(HOST, port);
            assertEquals("one\n", roundTrip(c, "one"));
            assertTrue(server.isServing());
            server.stopListening();
            server.stopListening(); // idempotent
            assertFalse(server.isServing());
            assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
            assertEquals("two\n", roundTrip(c, "two"), "the connection survives");
            c.close();
            server.waitClosed();
        });
    }

    @Test
    void waitClosedReturnsOnlyOnceTheLastClientIsGone() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            Streams.Connection a = Streams.openConnection(HOST, port(server));
            Streams.Connection b = Streams.openConnection(HOST, port(server));
            assertEquals("a\n", roundTrip(a, "a"));
            assertEquals("b\n", roundTrip(b, "b"));
            Task<Void> waiter = createTask(server::waitClosed);
            sleep(Duration.ofMillis(20));
            assertFalse(waiter.isDone(), "still listening");
            server.stopListening();
            sleep(Duration.ofMillis(20));
            assertFalse(waiter.isDone(), "two clients remain");
            a.close();
            sleep(Duration.ofMillis(20));
            assertFalse(waiter.isDone(), "one client remains");
            b.close();
            await(waiter);
            server.waitClosed(); // at once now
        });
    }

    @Test
    void closeClientsClosesEveryConnectionAfterFlushing() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer((r, w) -> {
                w.write(bytes("welcome\n"));
                r.read(); // until closed
            }, HOST, 0);
            List<Streams.Connection> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(Streams.openConnection(HOST, port(server)));
            }
            for (Streams.Connection c : clients) {
                assertEquals("welcome\n", text(c.reader().readLine()));
            }
            server.stopListening();
            server.closeClients();
            server.waitClosed();
            for (Streams.Connection c : clients) {
                assertEquals(0, c.reader().read().length, "the client sees the end of the stream");
                c.close();
            }
        });
    }

    @Test
    void abortClientsDropsWhatTheyStillHadToSend() {
        AsyncTesting.run(() -> {
            Future<Void> wrote = createFuture();
            Server server = Streams.startServer((r, w) -> {
                NetTesting.smallKernelBuffers(NetTesting.channel(w));
                w.write(new byte[8 * 1024 * 1024]); // the client never reads it
                wrote.setResult(null);
                r.read();
            }, HOST, 0);
            Streams.Connection c = Streams.openConnection(HOST, port(server));
            NetTesting.smallKernelBuffers(NetTesting.channel(c.writer()));
            await(wrote);
            server.stopListening();
            server.closeClients(); // would wait for the client to read 8 MiB
            sleep(Duration.ofMillis(50));
            Task<Void> waiter = createTask(server::waitClosed);
            sleep(Duration.ofMillis(20));
            assertFalse(waiter.isDone(), "close() flushes first: the client does not read");
            server.abortClients();
            await(waiter);
            c.writer().transport().abort();
            try {
                c.writer().waitClosed();
            } catch (IOException alreadyReset) {
                // the peer's abort may reset the connection first
            }
        });
    }

    @Test
    void tryWithResourcesStopsListeningAndWaitsForTheClients() {
        AsyncTesting.run(() -> {
            int port;
            Streams.Connection c;
            Task<Void> closer;
            try (Server server = Streams.startServer(ServerTest::echo, HOST, 0)) {
                port = port(server);
                c = Streams.openConnection(HOST, port);
                assertEquals("x\n", roundTrip(c, "x"));
                closer = createTask(() -> {
                    sleep(Duration.ofMillis(30));
                    c.close();
                });
            }
            assertTrue(closer.isDone(), "close() waited for the client to go");
            assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
        });
    }

    @Test
    void serveForeverTwiceOrOnAClosedServerIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            Task<Void> serving = createTask(server::serveForever);
            sleep(Duration.ZERO);
            assertThrows(IllegalStateException.class, server::serveForever);
            assertTrue(server.isServing());
            serving.cancel();
            assertThrows(CancelledError.class, () -> await(serving));
            assertFalse(server.isServing(), "cancelling serveForever closed the server");
            assertThrows(IllegalStateException.class, server::serveForever);
            server.waitClosed();
        });
    }

    @Test
    void cancellingServeForeverClosesTheServerButNotItsConnections() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            Task<Void> serving = createTask(server::serveForever);
            Streams.Connection c = Streams.openConnection(HOST, port(server));
            assertEquals("x\n", roundTrip(c, "x"));
            serving.cancel();
            assertThrows(CancelledError.class, () -> await(serving));
            assertFalse(server.isServing());
            assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port(server)));
            assertEquals("y\n", roundTrip(c, "y"));
            c.close();
            server.waitClosed();
        });
    }

    @Test
    void aServerMadeNotToStartServingAcceptsOnlyFromStartServingOn() {
        AsyncTesting.run(() -> {
            int[] handled = {0};
            try (Server server = Streams.startServer((r, w) -> {
                handled[0]++;
                echo(r, w);
            }, HOST, 0, ServerOptions.defaults().withStartServing(false))) {
                assertFalse(server.isServing());
                assertNotEquals(0, server.port(), "the socket is bound before serving");
                // the kernel completes the connection into the backlog; nobody accepts it yet
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                c.writer().write(bytes("early\n"));
                sleep(Duration.ofMillis(100));
                assertEquals(0, handled[0], "no connection was accepted before startServing()");
                server.startServing();
                server.startServing(); // idempotent
                assertTrue(server.isServing());
                assertEquals("early\n", text(c.reader().readLine()), "the queued connection is served");
                assertEquals(1, handled[0]);
                c.close();
            }
        });
    }

    @Test
    void serveForeverStartsAServerThatWasNotServing() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0,
                    ServerOptions.defaults().withStartServing(false));
            Task<Void> serving = createTask(server::serveForever);
            Streams.Connection c = Streams.openConnection(HOST, port(server));
            assertEquals("x\n", roundTrip(c, "x"));
            assertTrue(server.isServing());
            c.close();
            serving.cancel();
            assertThrows(CancelledError.class, () -> await(serving));
            server.waitClosed();
        });
    }

    @Test
    void startServingOnAClosedServerIsAnIllegalStateExceptionAndGetLoopIsItsLoop() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            assertSame(io.asyncio4j.Asyncio.getRunningLoop(), server.getLoop());
            server.close();
            assertThrows(IllegalStateException.class, server::startServing);
            assertFalse(server.isServing());
        });
    }

    @Test
    void closingTheServerFromAnotherTaskEndsServeForever() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer(ServerTest::echo, HOST, 0);
            Task<Void> serving = createTask(server::serveForever);
            sleep(Duration.ZERO);
            server.close();
            await(serving); // returns normally: the server was closed, not the task cancelled
            assertFalse(server.isServing());
        });
    }

    @Test
    void socketsGivesTheActualPortWhenZeroWasAsked() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer(ServerTest::echo, HOST, 0)) {
                List<SocketAddress> sockets = server.sockets();
                assertEquals(1, sockets.size());
                InetSocketAddress a = assertInstanceOf(InetSocketAddress.class, sockets.get(0));
                assertNotEquals(0, a.getPort());
                assertEquals(a.getPort(), server.port());
                assertEquals(HOST, a.getAddress().getHostAddress());
                Streams.Connection c = Streams.openConnection(HOST, a.getPort());
                assertEquals("ok\n", roundTrip(c, "ok"));
                c.close();
            }
        });
    }

    @Test
    void listeningOnABusyPortIsABindException() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer(ServerTest::echo, HOST, 0)) {
                assertThrows(BindException.class, () -> Streams.startServer(ServerTest::echo, HOST, port(server)));
            }
        });
    }

    @Test
    void aProtocolServerServesEveryConnectionWithAFreshProtocol() {
        AsyncTesting.run(() -> {
            List<NetTesting.RecordingProtocol> made = new ArrayList<>();
            try (Server server = Transports.createServer(() -> {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                made.add(p);
                return p;
            }, HOST, 0)) {
                for (int i = 0; i < 3; i++) {
                    Streams.Connection c = Streams.openConnection(HOST, port(server));
                    c.writer().write(bytes("hi " + i));
                    c.close();
                }
                eventually(5000, "every server side saw its end", () -> made.size() == 3
                        && made.stream().allMatch(p -> p.lostCount == 1));
                for (int i = 0; i < 3; i++) {
                    assertEquals("hi " + i, text(made.get(i).received.toByteArray()));
                    assertEquals(List.of("made", "data", "eof", "lost"), made.get(i).events);
                }
            }
        });
    }

    // ------------------------------------------------------------------ Unix domain sockets

    @Test
    void aUnixServerAndClientExchangeLinesAndTheSocketFileIsRemovedAfterClose() {
        Path path = dir.resolve("s.sock");
        AsyncTesting.run(() -> {
            try (Server server = Streams.startUnixServer(ServerTest::echo, path)) {
                assertTrue(Files.exists(path));
                assertEquals(UnixDomainSocketAddress.of(path), server.sockets().get(0));
                assertThrows(IllegalStateException.class, server::port, "a Unix server has no port");
                Streams.Connection c = Streams.openUnixConnection(path);
                assertEquals("over unix\n", roundTrip(c, "over unix"));
                assertTrue(c.writer().canWriteEof());
                c.close();
            }
            assertFalse(Files.exists(path), "the socket file is removed");
        });
    }

    @Test
    void aStaleUnixSocketFileIsReplaced() throws IOException {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path), "closing a listener leaves its file");
        AsyncTesting.run(() -> {
            try (Server server = Streams.startUnixServer(ServerTest::echo, path)) {
                Streams.Connection c = Streams.openUnixConnection(path);
                assertEquals("fresh\n", roundTrip(c, "fresh"));
                c.close();
            }
        });
        assertFalse(Files.exists(path));
    }

    @Test
    void aRegularFileAtTheUnixSocketPathIsNotReplaced() throws IOException {
        Path path = dir.resolve("file.sock");
        Files.writeString(path, "keep me");
        AsyncTesting.run(() -> {
            assertThrows(IOException.class, () -> Streams.startUnixServer(ServerTest::echo, path));
        });
        assertEquals("keep me", Files.readString(path));
    }

    @Test
    void connectingToAMissingUnixSocketFails() {
        Path path = dir.resolve("missing.sock");
        AsyncTesting.run(() -> {
            assertThrows(IOException.class, () -> Streams.openUnixConnection(path));
        });
    }
}
