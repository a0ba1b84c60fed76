package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.internal.net.Connector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.ExtraInfo;

/**
 * The options of openConnection and startServer: reader limit, local address, happy eyeballs,
 * backlog and address reuse.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectOptionsTest {

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }


    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void theReaderLimitOptionBoundsALine() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                w.write(bytes("0123456789abcdefghij\n"));
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server),
                        ConnectOptions.defaults().withLimit(8));
                assertEquals(8, c.reader().limit());
                LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> c.reader().readLine());
                assertTrue(e.consumed() > 8, "the overrun reports how far it looked: " + e.consumed());
                c.close();
            }
        });
    }

    @Test
    void theServerLimitOptionBoundsItsReaders() {
        AsyncTesting.run(() -> {
            int[] limit = {-1};
            try (Server server = Streams.startServer((r, w) -> {
                limit[0] = r.limit();
                w.close();
            }, HOST, 0, ServerOptions.defaults().withLimit(1234))) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                assertEquals(0, c.reader().read().length);
                c.close();
            }
            assertEquals(1234, limit[0]);
        });
    }

    @Test
    void theLocalAddressOptionBindsTheClientEnd() throws IOException {
        int local = NetTesting.closedPort();
        AsyncTesting.run(() -> {
            InetSocketAddress[] seen = new InetSocketAddress[1];
            try (Server server = Streams.startServer((r, w) -> {
                seen[0] = (InetSocketAddress) w.getExtraInfo(ExtraInfo.PEERNAME);
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server),
                        ConnectOptions.defaults().withLocalAddress(loopback(local)));
                assertEquals(local, ((InetSocketAddress) c.writer().getExtraInfo(ExtraInfo.SOCKNAME)).getPort());
                assertEquals(0, c.reader().read().length);
                c.close();
            }
            assertEquals(local, seen[0].getPort(), "the server saw the bound port");
        });
    }

    @Test
    void withoutAStaggerTheAddressesAreTriedInOrderAndTheFirstThatAcceptsWins() throws IOException {
        int refused = NetTesting.closedPort();
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                SocketChannel ch = Connector.connectAny(List.of(loopback(refused), loopback(port(server))), null, null);
                assertEquals(port(server), ((InetSocketAddress) ch.getRemoteAddress()).getPort());
                ch.close();
            }
        });
    }

    @Test
    void whenEveryAddressFailsTheLastErrorCarriesTheEarlierOnes() throws IOException {
        int a = NetTesting.closedPort();
        int b = NetTesting.closedPort();
        AsyncTesting.run(() -> {
            for (Duration stagger : java.util.Arrays.asList(null, Duration.ofMillis(50))) {
                ConnectException e = assertThrows(ConnectException.class,
                        () -> Connector.connectAny(List.of(loopback(a), loopback(b)), null, stagger));
                assertEquals(1, e.getSuppressed().length, "the other attempt's error is attached");
            }
        });
    }

    @Test
    void happyEyeballsStartsTheNextAttemptWhenTheFirstStallsAndClosesTheLoser() throws Exception {
        try (NetTesting.FullBacklog stalled = new NetTesting.FullBacklog()) {
            AsyncTesting.run(() -> {
                try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                    sleep(Duration.ofMillis(20));
                    int fdsBefore = NetTesting.openFds();
                    long t0 = System.nanoTime();
                    SocketChannel ch = Connector.connectAny(List.of(loopback(stalled.port()), loopback(port(server))),
                            null, Duration.ofMillis(100));
                    long ms = millisSince(t0);
                    assertEquals(port(server), ((InetSocketAddress) ch.getRemoteAddress()).getPort());
                    assertTrue(ms >= 90 && ms < 2_000, "the second attempt started after the stagger: " + ms + " ms");
                    ch.close();
                    sleep(Duration.ofMillis(20)); // the selector releases a channel closed while registered on its next select
                    assertTrue(NetTesting.openFds() <= fdsBefore + 2, "the stalled attempt's channel was closed");
                }
            });
        }
    }

    @Test
    void happyEyeballsStartsTheNextAttemptAtOnceWhenOneFails() throws IOException {
        int refused = NetTesting.closedPort();
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                long t0 = System.nanoTime();
                SocketChannel ch = Connector.connectAny(List.of(loopback(refused), loopback(port(server))), null,
                        Duration.ofSeconds(10));
                assertTrue(millisSince(t0) < 2_000, "a refusal does not wait for the stagger: " + millisSince(t0));
                assertEquals(port(server), ((InetSocketAddress) ch.getRemoteAddress()).getPort());
                ch.close();
            }
        });
    }

    @Test
    void happyEyeballsAlternatesAddressFamiliesStartingWithTheFirst() throws IOException {
        InetSocketAddress v6a = new InetSocketAddress(InetAddress.getByName("::1"), 1);
        InetSocketAddress v6b = new InetSocketAddress(InetAddress.getByName("::2"), 1);
        InetSocketAddress v4a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1);
        InetSocketAddress v4b = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 1);
        assertEquals(List.of(v6a, v4a, v6b, v4b), Connector.interleaveFamilies(List.of(v6a, v6b, v4a, v4b)));
        assertEquals(List.of(v4a, v6a, v4b, v6b), Connector.interleaveFamilies(List.of(v4a, v4b, v6a, v6b)));
        assertEquals(List.of(v4a, v4b), Connector.interleaveFamilies(List.of(v4a, v4b)));
    }

    @Test
    void aHappyEyeballsDelayConnectsThroughTheStreamsApi() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                Streams.Connection c = Streams.openConnection("localhost", port(server),
                        ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofMillis(250)));
                assertEquals(0, c.reader().read().length);
                c.close();
            }
        });
    }

    @Test
    void reusePortLetsTwoServersShareAPortAndReuseAddressIsSetByDefault() {
        AsyncTesting.run(() -> {
            ServerOptions shared = ServerOptions.defaults().withReusePort(true);
            try (Server a = Streams.startServer((r, w) -> w.close(), HOST, 0, shared);
                 Server b = Streams.startServer((r, w) -> w.close(), HOST, port(a), shared)) {
                assertEquals(port(a), port(b));
            }
            try (Server a = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                assertThrows(java.net.BindException.class,
                        () -> Streams.startServer((r, w) -> w.close(), HOST, port(a)));
            }
        });
    }

    @Test
    void theBacklogOptionBoundsTheAcceptQueue() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0,
                    ServerOptions.defaults().withBacklog(1))) {
                int connected = connectWhileTheLoopIsHeld(loopback(port(server)), 16);
                // Linux queues backlog + 1 connections; the next SYNs are dropped
                assertTrue(connected <= 4, "the accept queue filled up after " + connected + " connections");
            }
        });
    }

    /**
     * Connects up to {@code max} sockets from another thread while this task spins on the loop
     * thread, so that the loop accepts nothing meanwhile; stops at the first connection that does
     * not complete within 200 ms.
     */
    private static int connectWhileTheLoopIsHeld(InetSocketAddress at, int max) {
        java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < max; i++) {
                    java.net.Socket s = new java.net.Socket();
                    held.add(s);
                    s.connect(at, 200);
                    connected.incrementAndGet();
                }
            } catch (IOException full) {
                // the queue is full: the SYN was dropped
            } finally {
                done.set(true);
            }
        });
        while (!done.get()) {
            Thread.onSpinWait(); // holds the loop thread: a busy task, not a suspended one
        }
        for (java.net.Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
        return connected.get();
    }
}
