package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.port;
import static io.asyncio4j.stream.NetTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.TimeoutError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transports;

/** How connections fail, and that failing leaks nothing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionFailuresTest {


    @Test
    void aRefusedConnectionIsAConnectExceptionNamingTheAddress() {
        AsyncTesting.run(() -> {
            int port = NetTesting.closedPort();
            ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
            assertThrows(ConnectException.class, () -> Transports.createConnection(
                    NetTesting.RecordingProtocol::new, HOST, port));
        });
    }

    @Test
    void aResetByThePeerIsASocketExceptionOnRead() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().start(() -> {
                try (Socket s = peer.accept()) {
                    s.getInputStream().read(); // the client is connected
                    s.getOutputStream().write(bytes("some"));
                    s.setSoLinger(true, 0); // close with a reset
                } catch (IOException ignored) {
                    // the test fails on its side
                }
            });
            AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection(HOST, peer.getLocalPort());
                c.writer().write(bytes("!"));
                IOException e = assertThrows(IOException.class, () -> {
                    while (true) {
                        if (c.reader().read(100).length == 0) {
                            return; // a clean end of stream would fail the test
                        }
                    }
                });
                assertInstanceOf(SocketException.class, e, e.toString());
                assertTrue(c.writer().isClosing());
                assertEquals(e, assertThrows(IOException.class, () -> c.reader().readLine()), "every read throws it");
                assertEquals(e, assertThrows(IOException.class, () -> c.writer().waitClosed()));
            });
            t.join();
        }
    }

    @Test
    void thePeerClosingInTheMiddleOfReadExactlyIsAnIncompleteReadError() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().start(() -> {
                try (Socket s = peer.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(bytes("abc"));
                    out.flush();
                    Thread.sleep(30);
                    out.write(bytes("de"));
                } catch (IOException | InterruptedException ignored) {
                    // the test fails on its side
                }
            });
            AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection(HOST, peer.getLocalPort());
                IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> c.reader().readExactly(10));
                assertEquals("abcde", text(e.partial()));
                assertEquals(10, e.expected());
                assertTrue(c.reader().atEof());
                c.close();
            });
            t.join();
        }
    }

    @Test
    void writingAfterCloseIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                r.read();
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                c.close();
                assertThrows(IllegalStateException.class, () -> c.writer().write(bytes("late")));
                assertThrows(IllegalStateException.class, () -> c.writer().transport().write(bytes("late")));
            }
        });
    }

    @Test
    void aConnectTimeoutIsATimeoutError() throws Exception {
        try (NetTesting.FullBacklog full = new NetTesting.FullBacklog()) {
            AsyncTesting.run(() -> {
                long t0 = System.nanoTime();
                assertThrows(TimeoutError.class, () -> Streams.openConnection(HOST, full.port(),
                        ConnectOptions.defaults().withConnectTimeout(Duration.ofMillis(100))));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 90 && ms < 5000, "timed out after the timeout: " + ms + " ms");
            });
        }
    }

    @Test
    void aZeroOrTinyConnectTimeoutIsATimeoutError() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                for (Duration d : List.of(Duration.ZERO, Duration.ofNanos(1))) {
                    assertThrows(TimeoutError.class, () -> Streams.openConnection(HOST, port(server),
                            ConnectOptions.defaults().withConnectTimeout(d)));
                }
            }
        });
    }

    @Test
    void anUnresolvableNameIsAnUnknownHostException() {
        AsyncTesting.run(() -> {
            assertThrows(UnknownHostException.class, () -> Streams.openConnection("no-such-host.invalid", 80));
            assertThrows(UnknownHostException.class, () -> Streams.startServer((r, w) -> { }, "no-such-host.invalid", 0));
        });
    }

    @Test
    void thousandsOfRefusedConnectionsLeakNoFileDescriptor() {
        AsyncTesting.run(() -> {
            int port = NetTesting.closedPort();
            for (int i = 0; i < 20; i++) { // warm up: executor threads, classes
                assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
            }
            sleep(Duration.ofMillis(20));
            int before = NetTesting.openFds();
            for (int i = 0; i < 2000; i++) {
                assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
            }
            sleep(Duration.ofMillis(20)); // the selector releases channels closed while registered on its next select
            int after = NetTesting.openFds();
            assertTrue(after - before <= 10, "file descriptors before " + before + ", after " + after);
        });
    }

    @Test
    void timedOutAndCancelledConnectionsLeakNoFileDescriptor() throws Exception {
        try (NetTesting.FullBacklog full = new NetTesting.FullBacklog()) {
            AsyncTesting.run(() -> {
                ConnectOptions quick = ConnectOptions.defaults().withConnectTimeout(Duration.ofMillis(1));
                assertThrows(TimeoutError.class, () -> Streams.openConnection(HOST, full.port(), quick));
                sleep(Duration.ofMillis(20));
                int before = NetTesting.openFds();
                for (int i = 0; i < 200; i++) {
                    assertThrows(TimeoutError.class, () -> Streams.openConnection(HOST, full.port(), quick));
                }
                sleep(Duration.ofMillis(20));
                int after = NetTesting.openFds();
                assertTrue(after - before <= 10, "file descriptors before " + before + ", after " + after);
            });
        }
    }
}
