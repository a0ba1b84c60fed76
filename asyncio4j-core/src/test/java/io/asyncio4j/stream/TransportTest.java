package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.channel;
import static io.asyncio4j.stream.NetTesting.eventually;
import static io.asyncio4j.stream.NetTesting.port;
import static io.asyncio4j.stream.NetTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.transport.ExtraInfo;
import java.time.Duration;

/** Transports driving protocols over loopback: asyncio rules O1-O5. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportTest {

    // ------------------------------------------------------------------ O1 order of events

    @Test
    void connectionMadeRunsBeforeCreateConnectionReturns() {
        AsyncTesting.run(() -> {
            try (Server server = NetTesting.sink(null, new ByteArrayOutputStream())) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                assertEquals(List.of("made"), p.events);
                assertSame(t, p.transport);
                assertSame(p, t.getProtocol());
                t.close();
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
            }
        });
    }

    @Test
    void dataThenEndOfFileThenConnectionLostExactlyOnce() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                w.write(bytes("hello "));
                w.write(bytes("world"));
                w.close();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                eventually(5000, "the connection is lost", () -> p.lostCount > 0);
                sleep(Duration.ofMillis(20));
                assertEquals(List.of("made", "data", "eof", "lost"), p.events);
                assertEquals(1, p.lostCount);
                assertEquals("hello world", text(p.received.toByteArray()));
                assertTrue(t.isClosing(), "eofReceived returned false: the transport closed");
            }
        });
    }

    // ------------------------------------------------------------------ O2 half-open

    @Test
    void eofReceivedReturningTrueKeepsTheTransportHalfOpen() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream atServer = new ByteArrayOutputStream();
            try (Server server = Streams.startServer((r, w) -> {
                w.writeEof(); // the server is done sending
                while (true) {
                    byte[] b = r.read(1024);
                    if (b.length == 0) {
                        break;
                    }
                    atServer.writeBytes(b);
                }
                w.close();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                p.keepOpenOnEof = true;
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                eventually(5000, "the end of file arrives", () -> p.events.contains("eof"));
                sleep(Duration.ofMillis(20));
                assertFalse(t.isClosing(), "half-open");
                assertEquals(0, p.lostCount);
                t.write(bytes("still talking"));
                t.close();
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
                eventually(5000, "the server read it", () -> atServer.size() == 13);
                assertEquals("still talking", text(atServer.toByteArray()));
                assertEquals(List.of("made", "eof", "lost"), p.events);
            }
        });
    }

    @Test
    void eofReceivedReturningFalseClosesTheTransport() {
        AsyncTesting.run(() -> {
            Future<Void> done = createFuture();
            Future<Void> handlerDone = createFuture();
            try (Server server = Streams.startServer((r, w) -> {
                w.writeEof();
                NetTesting.awaitSignal(done);
                w.close();
                handlerDone.setResult(null);
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
                assertTrue(t.isClosing());
                assertEquals(List.of("made", "eof", "lost"), p.events);
                assertThrows(IllegalStateException.class, () -> t.write(bytes("x")));
                done.setResult(null);
                await(handlerDone);
            }
        });
    }

    @Test
    void bothSidesHalfClosedEndsTheConnectionInEitherOrder() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                assertEquals(0, r.read().length);
                w.writeEof();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol first = new NetTesting.RecordingProtocol();
                first.keepOpenOnEof = true;
                Transport a = Transports.createConnection(() -> first, HOST, port(server));
                a.writeEof(); // our side first, then the server's
                eventually(5000, "the connection ends", () -> first.lostCount == 1);
                assertTrue(a.isClosing());

                NetTesting.RecordingProtocol second = new NetTesting.RecordingProtocol();
                second.keepOpenOnEof = true;
                Future<Void> go = createFuture();
                Future<Void> handlerDone = createFuture();
                try (Server other = Streams.startServer((r, w) -> {
                    w.writeEof(); // the server's side first
                    NetTesting.awaitSignal(go);
                    r.read();
                    handlerDone.setResult(null);
                }, HOST, 0)) {
                    Transport b = Transports.createConnection(() -> second, HOST, port(other));
                    eventually(5000, "the end of file arrives", () -> second.events.contains("eof"));
                    assertFalse(b.isClosing());
                    b.writeEof(); // then ours
                    eventually(5000, "the connection ends", () -> second.lostCount == 1);
                    go.setResult(null);
                    await(handlerDone);
                }
            }
        });
    }

    // ------------------------------------------------------------------ O3 close and abort

    @Test
    void connectionLostIsNeverCalledInsideCloseAndOnlyOnce() {
        AsyncTesting.run(() -> {
            try (Server server = NetTesting.sink(null, new ByteArrayOutputStream())) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                t.close();
                assertEquals(0, p.lostCount, "not inside close()");
                assertTrue(t.isClosing());
                assertFalse(t.isReading());
                t.close();
                t.abort();
                assertEquals(0, p.lostCount, "not inside abort() either");
                sleep(Duration.ZERO);
                sleep(Duration.ofMillis(20));
                assertEquals(1, p.lostCount);
                assertEquals(List.of("made", "lost"), p.events);
                t.close();
                t.abort();
                sleep(Duration.ofMillis(20));
                assertEquals(1, p.lostCount);
            }
        });
    }

    @Test
    void closeFlushesTheWriteBufferFirst() {
        int total = 4 * 1024 * 1024;
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Future<Void> go = createFuture();
            byte[] payload = NetTesting.pattern(total);
            try (Server server = NetTesting.sink(go, received)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                NetTesting.smallKernelBuffers(channel(t));
                t.write(payload);
                assertTrue(t.getWriteBufferSize() > 0);
                t.close();
                sleep(Duration.ofMillis(20));
                assertEquals(0, p.lostCount, "still flushing");
                go.setResult(null);
                eventually(10_000, "the connection is lost", () -> p.lostCount == 1);
                assertEquals(0, t.getWriteBufferSize());
                eventually(10_000, "the server read to the end", () -> received.size() == total);
                assertArrayEquals(payload, received.toByteArray());
                assertEquals(List.of("made", "pause", "resume", "lost"), p.events);
            }
        });
    }

    @Test
    void abortDropsTheWriteBuffer() {
        int total = 4 * 1024 * 1024;
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Future<Void> go = createFuture();
            try (Server server = NetTesting.sink(go, received)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                NetTesting.smallKernelBuffers(channel(t));
                t.write(new byte[total]);
                assertTrue(t.getWriteBufferSize() > total / 2);
                t.abort();
                assertEquals(0, t.getWriteBufferSize(), "dropped at once");
                assertTrue(t.isClosing());
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
                assertEquals(null, p.lostWith);
                go.setResult(null);
                server.closeClients();
                sleep(Duration.ofMillis(50));
                assertTrue(received.size() < total, "the buffer was not sent: " + received.size());
            }
        });
    }

    // ------------------------------------------------------------------ O4 water marks, reading

    @Test
    void writeBufferLimitsAreValidated() {
        AsyncTesting.run(() -> {
            try (Server server = NetTesting.sink(null, new ByteArrayOutputStream())) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                assertEquals(64 * 1024, t.getWriteBufferHigh());
                assertEquals(16 * 1024, t.getWriteBufferLow());
                assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
                assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, -1));
                assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(-1, -2));
                assertEquals(64 * 1024, t.getWriteBufferHigh(), "unchanged by a rejected call");
                t.setWriteBufferLimits(0, 0);
                assertEquals(0, t.getWriteBufferHigh());
                t.setWriteBufferLimits(1000, 1000);
                assertEquals(1000, t.getWriteBufferLow());
                t.close();
                eventually(5000, "closed", () -> p.lostCount == 1);
            }
        });
    }

    @Test
    void pauseWritingAboveTheHighMarkAndResumeWritingAtTheLowMark() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Future<Void> go = createFuture();
            try (Server server = NetTesting.sink(go, received)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                NetTesting.smallKernelBuffers(channel(t));
                t.setWriteBufferLimits(4096, 1024);
                byte[] chunk = new byte[1024];
                int written = 0;
                while (!p.events.contains("pause")) {
                    t.write(chunk);
                    written += chunk.length;
                    assertTrue(written < 16 * 1024 * 1024, "never paused");
                    if (!p.events.contains("pause")) {
                        assertTrue(t.getWriteBufferSize() <= 4096, "paused as soon as above the high mark");
                    }
                }
                assertTrue(t.getWriteBufferSize() > 4096);
                t.write(chunk); // writing on while paused only buffers
                assertEquals(List.of("made", "pause"), p.events, "paused once");
                go.setResult(null);
                eventually(10_000, "writing resumes", () -> p.events.contains("resume"));
                assertTrue(p.bufferAtResume <= 1024, "resumed at the low mark: " + p.bufferAtResume);
                t.close();
                int expected = written + chunk.length;
                eventually(10_000, "the server read everything", () -> received.size() == expected);
            }
        });
    }

    @Test
    void loweringTheHighMarkBelowTheBufferPausesAtOnce() {
        AsyncTesting.run(() -> {
            Future<Void> go = createFuture();
            try (Server server = NetTesting.sink(go, new ByteArrayOutputStream())) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                NetTesting.smallKernelBuffers(channel(t));
                t.setWriteBufferLimits(4 * 1024 * 1024, 0);
                t.write(new byte[1024 * 1024]);
                long buffered = t.getWriteBufferSize();
                assertTrue(buffered > 0 && buffered <= 1024 * 1024);
                assertEquals(List.of("made"), p.events, "below the high mark");
                t.setWriteBufferLimits((int) buffered - 1, 0);
                assertEquals(List.of("made", "pause"), p.events);
                t.abort();
                eventually(5000, "closed", () -> p.lostCount == 1);
                go.setResult(null);
            }
        });
    }

    @Test
    void pauseAndResumeReadingAreIdempotent() {
        AsyncTesting.run(() -> {
            Future<Void> send = createFuture();
            try (Server server = Streams.startServer((r, w) -> {
                await(send);
                w.write(bytes("late data"));
                r.read();
                w.close();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                assertTrue(t.isReading());
                t.pauseReading();
                t.pauseReading();
                assertFalse(t.isReading());
                send.setResult(null);
                sleep(Duration.ofMillis(50));
                assertEquals(List.of("made"), p.events, "no data while paused");
                t.resumeReading();
                t.resumeReading();
                assertTrue(t.isReading());
                eventually(5000, "the data arrives", () -> p.received.size() == 9);
                assertEquals("late data", text(p.received.toByteArray()));
                t.close();
                eventually(5000, "closed", () -> p.lostCount == 1);
                assertFalse(t.isReading());
                t.pauseReading(); // on a closed transport: no effect, no error
                t.resumeReading();
            }
        });
    }

    // ------------------------------------------------------------------ O5 writeEof

    @Test
    void writeAfterWriteEofIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                p.keepOpenOnEof = true;
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                assertTrue(t.canWriteEof());
                t.write(bytes("last words"));
                t.writeEof();
                t.writeEof();
                assertThrows(IllegalStateException.class, () -> t.write(bytes("more")));
                assertThrows(IllegalStateException.class, () -> t.write(ByteBuffer.allocate(1)));
                eventually(5000, "the server read to the end and closed", () -> p.lostCount == 1);
                assertEquals("last words", text(received.toByteArray()));
            }
        });
    }

    @Test
    void writeAfterCloseIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            try (Server server = NetTesting.sink(null, new ByteArrayOutputStream())) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                t.close();
                assertThrows(IllegalStateException.class, () -> t.write(bytes("x")));
                eventually(5000, "closed", () -> p.lostCount == 1);
                assertThrows(IllegalStateException.class, () -> t.write(bytes("x")));
            }
        });
    }

    // ------------------------------------------------------------------ errors and protocol switches

    @Test
    void aResetReachesConnectionLostWithItsError() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                r.readExactly(1); // the client is connected
                channel(w).setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                w.transport().abort();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                t.write(bytes("!"));
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
                assertInstanceOf(SocketException.class, p.lostWith);
                assertTrue(t.isClosing());
                t.write(bytes("dropped")); // after a failure writes are dropped, as asyncio does
            }
        });
    }

    @Test
    void aFailingDataReceivedIsReportedAndClosesTheTransport() {
        List<String> events = new ArrayList<>();
        AtomicReference<Throwable> lostWith = new AtomicReference<>();
        RuntimeException bug = new RuntimeException("protocol bug");
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                w.write(bytes("boom"));
                r.read();
                w.close();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol() {
                    @Override
                    public void dataReceived(ByteBuffer data) {
                        super.dataReceived(data);
                        throw bug;
                    }
                };
                Transports.createConnection(() -> p, HOST, port(server));
                eventually(5000, "the connection is lost", () -> p.lostCount == 1);
                events.addAll(p.events);
                lostWith.set(p.lostWith);
            }
        });
        assertEquals(List.of("made", "data", "lost:RuntimeException"), events);
        assertSame(bug, lostWith.get());
        List<ExceptionContext> all = reports.all();
        assertEquals(1, all.size(), reports.messages().toString());
        assertTrue(all.get(0).message().startsWith("Fatal error: protocol.dataReceived() call failed"),
                all.get(0).message());
        assertSame(bug, all.get(0).exception());
    }

    @Test
    void setProtocolRoutesLaterEventsToTheNewProtocol() {
        AsyncTesting.run(() -> {
            Future<Void> send = createFuture();
            try (Server server = Streams.startServer((r, w) -> {
                await(send);
                w.write(bytes("for the second"));
                w.close();
            }, HOST, 0)) {
                NetTesting.RecordingProtocol first = new NetTesting.RecordingProtocol();
                NetTesting.RecordingProtocol second = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> first, HOST, port(server));
                second.transport = t;
                t.setProtocol(second);
                assertSame(second, t.getProtocol());
                send.setResult(null);
                eventually(5000, "the connection is lost", () -> second.lostCount == 1);
                assertEquals(List.of("made"), first.events);
                assertEquals(List.of("data", "eof", "lost"), second.events);
                assertEquals("for the second", text(second.received.toByteArray()));
            }
        });
    }

    // ------------------------------------------------------------------ connect_accepted_socket

    /** Echoes what it receives. */
    private static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Accepts one connection on a listener of the test's own and runs an echo protocol on it. */
    private static Transport acceptAndEcho(java.nio.channels.ServerSocketChannel listener, ServerOptions options)
            throws IOException {
        java.nio.channels.SocketChannel accepted = Transports.sockAccept(listener);
        return Transports.connectAcceptedSocket(Echo::new, accepted, options);
    }

    private static java.nio.channels.ServerSocketChannel listener() throws IOException {
        java.nio.channels.ServerSocketChannel l = java.nio.channels.ServerSocketChannel.open();
        l.bind(new java.net.InetSocketAddress(HOST, 0));
        l.configureBlocking(false);
        return l;
    }

    @Test
    void aConnectionAcceptedElsewhereRunsAProtocol() {
        AsyncTesting.run(() -> {
            try (java.nio.channels.ServerSocketChannel l = listener()) {
                int port = ((java.net.InetSocketAddress) l.getLocalAddress()).getPort();
                io.asyncio4j.Task<Transport> server = io.asyncio4j.Asyncio.createTask(
                        () -> acceptAndEcho(l, ServerOptions.defaults()));
                Streams.Connection c = Streams.openConnection(HOST, port);
                c.writer().write(bytes("ping\n"));
                assertEquals("ping\n", text(c.reader().readLine()));
                assertInstanceOf(io.asyncio4j.internal.net.TcpTransport.class, await(server));
                c.close();
            }
        });
    }

    @Test
    void aConnectionAcceptedElsewhereCanBeTheServerSideOfTls() {
        TestCertificates certs = TestCertificates.get();
        AsyncTesting.run(() -> {
            try (java.nio.channels.ServerSocketChannel l = listener()) {
                int port = ((java.net.InetSocketAddress) l.getLocalAddress()).getPort();
                io.asyncio4j.Task<Transport> server = io.asyncio4j.Asyncio.createTask(
                        () -> acceptAndEcho(l, ServerOptions.defaults().withSsl(certs.serverContext())));
                Streams.Connection c = Streams.openConnection(HOST, port,
                        ConnectOptions.defaults().withSsl(certs.clientContext()));
                c.writer().write(bytes("secret\n"));
                assertEquals("secret\n", text(c.reader().readLine()));
                Transport t = await(server);
                assertInstanceOf(javax.net.ssl.SSLSession.class, t.getExtraInfo(ExtraInfo.SSL_OBJECT),
                        "the returned transport is the TLS one");
                c.close();
            }
        });
    }

    @Test
    void connectAcceptedSocketRejectsAnUnconnectedChannelAndOneATransportUses() {
        AsyncTesting.run(() -> {
            try (java.nio.channels.SocketChannel loose = java.nio.channels.SocketChannel.open()) {
                assertThrows(IllegalArgumentException.class,
                        () -> Transports.connectAcceptedSocket(Echo::new, loose, ServerOptions.defaults()));
            }
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                NetTesting.RecordingProtocol p = new NetTesting.RecordingProtocol();
                Transport t = Transports.createConnection(() -> p, HOST, port(server));
                assertThrows(IllegalStateException.class,
                        () -> Transports.connectAcceptedSocket(Echo::new, channel(t), ServerOptions.defaults()));
                t.close();
            }
        });
    }
}
