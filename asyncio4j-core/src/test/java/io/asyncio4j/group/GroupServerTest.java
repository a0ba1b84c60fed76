package io.asyncio4j.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.ServerOptions.Distribution;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Servers on a loop group: every loop serves, each connection stays on one loop, stop and shutdown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupServerTest {

    /** Answers every read with the name of the loop thread that runs the connection's callbacks. */
    static final class WhereAmI implements Protocol {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            threads.add(Thread.currentThread().getName());
            String name = Thread.currentThread().getName();
            String loop = name.substring(name.lastIndexOf("-loop") + 5);
            transport.write(ByteBuffer.wrap((loop + "\n").getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void connectionLost(Throwable e) {
            threads.add(Thread.currentThread().getName());
        }
    }

    private static String ask(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write('?');
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("closed before the answer");
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static int port(Server s) {
        return ((InetSocketAddress) s.sockets().get(0)).getPort();
    }

    @Test
    void withReusePortEveryLoopListensOnTheSamePortAndTheKernelSpreadsConnections() throws Exception {
        assumeTrue(Distribution.reusePortSpreads(), "SO_REUSEPORT spreads connections on Linux only");
        try (LoopGroup group = LoopGroup.open(2)) {
            List<WhereAmI> protocols = new ArrayList<>();
            Server server = Transports.createServer(() -> {
                WhereAmI p = new WhereAmI();
                synchronized (protocols) {
                    protocols.add(p);
                }
                return p;
            }, "127.0.0.1", 0, ServerOptions.defaults().withLoopGroup(group));
            assertEquals(2, server.sockets().size(), "one listener per loop");
            assertEquals(port(server), ((InetSocketAddress) server.sockets().get(1)).getPort());
            assertTrue(server.isServing());
            Set<String> loops = ConcurrentHashMap.newKeySet();
            List<Socket> clients = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                Socket s = new Socket("127.0.0.1", port(server));
                clients.add(s);
                loops.add(ask(s));
                assertEquals(loops.size() == 0 ? 0 : loops.size(), loops.size());
            }
            assertEquals(Set.of("0", "1"), loops, "both loops got connections (40 of them)");
            for (Socket s : clients) {
                s.close();
            }
            server.close(); // stop listening, wait until every loop's connections are gone
            synchronized (protocols) {
                for (WhereAmI p : protocols) {
                    assertEquals(1, p.threads.size(), "a connection lives on one loop: " + p.threads);
                }
            }
        }
    }

    @Test
    void roundRobinHandsTheConnectionsToTheLoopsInTurn() throws Exception {
        try (LoopGroup group = LoopGroup.open(3)) {
            Server server = Transports.createServer(WhereAmI::new, "127.0.0.1", 0,
                    ServerOptions.defaults().withLoopGroup(group).withDistribution(Distribution.ROUND_ROBIN));
            assertEquals(1, server.sockets().size(), "the first loop listens alone");
            List<String> order = new ArrayList<>();
            List<Socket> clients = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                Socket s = new Socket("127.0.0.1", port(server));
                clients.add(s);
                order.add(ask(s));
            }
            assertEquals(List.of("0", "1", "2", "0", "1", "2"), order);
            for (Socket s : clients) {
                s.close();
            }
            server.close();
        }
    }

    @Test
    void aUnixServerOnAGroupHandsConnectionsRoundRobin() throws Exception {
        Path dir = Files.createTempDirectory("group");
        Path path = dir.resolve("s.sock");
        try (LoopGroup group = LoopGroup.open(2)) {
            Server server = Transports.createUnixServer(WhereAmI::new, path,
                    ServerOptions.defaults().withLoopGroup(group));
            List<String> order = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(path));
                    ch.write(ByteBuffer.wrap(new byte[] {'?'}));
                    ByteBuffer b = ByteBuffer.allocate(8);
                    while (b.position() < 2) {
                        ch.read(b);
                    }
                    order.add(new String(b.array(), 0, 1, StandardCharsets.US_ASCII));
                }
            }
            assertEquals(List.of("0", "1", "0", "1"), order);
            server.close();
            assertFalse(Files.exists(path), "the socket file goes with the server");
            assertThrows(IllegalArgumentException.class, () -> Transports.createUnixServer(WhereAmI::new,
                    dir.resolve("t.sock"), ServerOptions.defaults().withLoopGroup(group)
                            .withDistribution(Distribution.REUSE_PORT)));
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void stopListeningStopsEveryLoopButKeepsTheConnections() throws Exception {
        for (Distribution how : List.of(Distribution.AUTO, Distribution.ROUND_ROBIN)) {
            try (LoopGroup group = LoopGroup.open(2)) {
                Server server = Transports.createServer(WhereAmI::new, "127.0.0.1", 0,
                        ServerOptions.defaults().withLoopGroup(group).withDistribution(how));
                int port = port(server);
                Socket a = new Socket("127.0.0.1", port);
                Socket b = new Socket("127.0.0.1", port);
                ask(a);
                ask(b);
                server.stopListening();
                assertFalse(server.isServing());
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), how.name());
                ask(a); // still served
                ask(b);
                a.close();
                b.close();
                server.waitClosed();
            }
        }
    }

    @Test
    void aStreamServerOnAGroupStartedFromATaskRunsEachHandlerOnItsConnectionsLoop() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
            int port = Asyncio.run(() -> {
                Server s = Streams.startServer((reader, writer) -> {
                    String line = reader.readLine().length > 0 ? "ok\n" : "eof\n";
                    handlerThreads.add(String.valueOf(group.indexOf(Asyncio.getRunningLoop())));
                    writer.write(line.getBytes(StandardCharsets.US_ASCII));
                    writer.drain();
                    writer.close();
                }, "127.0.0.1", 0, ServerOptions.defaults().withLoopGroup(group)
                        .withDistribution(Distribution.ROUND_ROBIN));
                return port(s);
            });
            for (int k = 0; k < 4; k++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("ok", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                            .strip());
                }
            }
            assertEquals(Set.of("0", "1"), handlerThreads);
        }
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingListening() throws Exception {
        try (LoopGroup group = LoopGroup.open(2);
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 10,
                     java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThrows(IOException.class, () -> Transports.createServer(WhereAmI::new, "127.0.0.1",
                    taken.getLocalPort(), ServerOptions.defaults().withLoopGroup(group)));
        }
    }

    @Test
    void shutdownStopsTheListenersAtOnceDrainsThenClosesWhatIsLeft() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            Server server = Transports.createServer(WhereAmI::new, "127.0.0.1", 0,
                    ServerOptions.defaults().withLoopGroup(group));
            int port = port(server);
            Socket leaving = new Socket("127.0.0.1", port);
            Socket staying = new Socket("127.0.0.1", port);
            ask(leaving);
            ask(staying);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    group.waitShutdownRequested();
                    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
                    leaving.close(); // ends by itself during the drain
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long t0 = System.nanoTime();
            group.shutdown(Duration.ofMillis(400));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            closer.join(5_000);
            assertTrue(group.isShuttingDown());
            assertTrue(ms >= 350, "the drain waited for the connection that stayed: " + ms + " ms");
            staying.setSoTimeout(5_000);
            assertEquals(-1, staying.getInputStream().read(), "what was left is closed after the drain");
            staying.close();
            assertThrows(IllegalStateException.class, () -> group.run(i -> { }), "no new mains once shutting down");
            assertEquals(1, group.submit(0, () -> 1).get(5, TimeUnit.SECONDS), "the loops still run");
        }
    }

    @Test
    void closeDuringAShutdownLetsItsDrainRunItsCourse() throws Exception {
        LoopGroup group = LoopGroup.open(2);
        Server server = Transports.createServer(WhereAmI::new, "127.0.0.1", 0,
                ServerOptions.defaults().withLoopGroup(group));
        Socket staying = new Socket("127.0.0.1", port(server));
        ask(staying);
        Thread shutdown = Thread.ofPlatform().start(() -> group.shutdown(Duration.ofMillis(400)));
        group.waitShutdownRequested();
        long t0 = System.nanoTime();
        group.close(); // as a main thread does right after serveForever returns
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        shutdown.join(5_000);
        assertTrue(ms >= 300, "close waited for the drain: " + ms + " ms");
        staying.setSoTimeout(5_000);
        assertEquals(-1, staying.getInputStream().read());
        staying.close();
    }

    @Test
    void shutdownCancelsMainsThatOutliveTheDrainAndEndsEarlyWhenTheyReturn() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            Thread runner = Thread.ofPlatform().start(() -> group.run(i -> {
                if (i == 0) {
                    group.waitShutdownRequested(); // ends its work when the shutdown begins
                    return;
                }
                Asyncio.sleep(Duration.ofSeconds(30)); // ignores it: cancelled after the drain
            }));
            Thread.sleep(100);
            long t0 = System.nanoTime();
            group.shutdown(Duration.ofMillis(300));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            runner.join(5_000);
            assertFalse(runner.isAlive(), "run() returned: cancelled by the shutdown is no error");
            assertTrue(ms >= 250 && ms < 5_000, ms + " ms");
        }
        try (LoopGroup group = LoopGroup.open(2)) {
            Thread runner = Thread.ofPlatform().start(() -> group.run(i -> group.waitShutdownRequested()));
            Thread.sleep(100);
            long t0 = System.nanoTime();
            group.shutdown(Duration.ofSeconds(20));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000, "no wait once mains returned");
            runner.join(5_000);
        }
    }

    @Test
    void serverOperationsAfterCloseFailClearly() throws Exception {
        LoopGroup group = LoopGroup.open(2);
        group.close();
        assertThrows(IllegalStateException.class, () -> Transports.createServer(WhereAmI::new, "127.0.0.1", 0,
                ServerOptions.defaults().withLoopGroup(group)));
        SocketAddress unused = null;
        assertEquals(null, unused);
    }
}
