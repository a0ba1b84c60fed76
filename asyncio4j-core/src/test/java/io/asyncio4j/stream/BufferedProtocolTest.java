package io.asyncio4j.stream;

import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Asyncio;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Future;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;

/** BufferedProtocol: asyncio rule O7, over plain TCP, Unix sockets and TLS. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BufferedProtocolTest {

    /** Receives into a small buffer of its own, recording the calls and every byte. */
    private static class SmallBuffers implements BufferedProtocol {
        final ByteBuffer buffer;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> hints = new ArrayList<>();
        final Future<Throwable> lost = Asyncio.createFuture();

        SmallBuffers(int size) {
            buffer = ByteBuffer.allocate(size);
        }

        @Override
        public void connectionMade(Transport transport) {
            events.add("made");
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            hints.add(sizeHint);
            return buffer.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            assertEquals(nbytes, buffer.position(), "the bytes end at the buffer's position");
            received.write(buffer.array(), 0, nbytes);
            if (events.isEmpty() || !events.getLast().equals("updated")) {
                events.add("updated");
            }
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
            events.add("lost");
            lost.setResult(error);
        }
    }

    /** A server that sends {@code data}, then closes. */
    private static Server sender(byte[] data, ServerOptions options) throws java.io.IOException {
        return Streams.startServer((r, w) -> {
            w.write(data);
            w.close();
        }, HOST, 0, options);
    }

    @Test
    void aSocketIsReadStraightIntoTheProtocolsBuffersInOrder() {
        byte[] data = NetTesting.pattern(300_000);
        AsyncTesting.run(() -> {
            try (Server server = sender(data, ServerOptions.defaults())) {
                SmallBuffers p = new SmallBuffers(1000);
                Transports.createConnection(() -> p, HOST, port(server));
                assertEquals(null, Asyncio.waitFor(p.lost, java.time.Duration.ofSeconds(10)));
                assertArrayEquals(data, p.received.toByteArray());
                assertEquals(List.of("made", "updated", "eof", "lost"), p.events);
                assertTrue(p.hints.stream().allMatch(h -> h == -1), "a socket read gives no size hint");
                assertTrue(p.hints.size() >= 300, "one read per buffer-full at most: " + p.hints.size());
            }
        });
    }

    @Test
    void aUnixSocketIsReadIntoTheProtocolsBuffersToo() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("asyncio4j-buffered");
        java.nio.file.Path path = dir.resolve("s.sock");
        byte[] data = NetTesting.pattern(50_000);
        try {
            AsyncTesting.run(() -> {
                try (Server server = Streams.startUnixServer((r, w) -> {
                    w.write(data);
                    w.close();
                }, path)) {
                    SmallBuffers p = new SmallBuffers(4096);
                    Transports.createUnixConnection(() -> p, path, ConnectOptions.defaults());
                    Asyncio.waitFor(p.lost, java.time.Duration.ofSeconds(10));
                    assertArrayEquals(data, p.received.toByteArray());
                }
            });
        } finally {
            java.nio.file.Files.deleteIfExists(path);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void overTlsTheDecryptedBytesAreCopiedIntoTheProtocolsBuffersWithASizeHint() {
        byte[] data = NetTesting.pattern(100_000);
        TestCertificates certs = TestCertificates.get();
        AsyncTesting.run(() -> {
            try (Server server = sender(data, ServerOptions.defaults().withSsl(certs.serverContext()))) {
                SmallBuffers p = new SmallBuffers(777);
                Transports.createConnection(() -> p, HOST, port(server),
                        ConnectOptions.defaults().withSsl(certs.clientContext()));
                Asyncio.waitFor(p.lost, java.time.Duration.ofSeconds(10));
                assertArrayEquals(data, p.received.toByteArray());
                assertTrue(p.hints.stream().allMatch(h -> h > 0), "decrypted bytes come with a hint: " + p.hints);
            }
        });
    }

    @Test
    void dataReceivedOfABufferedProtocolFillsItsBuffersOneAfterTheOther() {
        AsyncTesting.run(() -> {
            SmallBuffers p = new SmallBuffers(3);
            p.dataReceived(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, p.received.toByteArray());
            assertEquals(List.of(7, 4, 1), p.hints, "each hint is what is left to deliver");
        });
    }

    @Test
    void aBufferWithNoRoomIsAFatalErrorReportedToTheExceptionHandler() {
        AsyncTesting.run(() -> {
            List<ExceptionContext> reported = new ArrayList<>();
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reported.add(context));
            try (Server server = sender(new byte[] {1, 2, 3}, ServerOptions.defaults())) {
                SmallBuffers p = new SmallBuffers(0);
                Transports.createConnection(() -> p, HOST, port(server));
                Throwable error = Asyncio.waitFor(p.lost, java.time.Duration.ofSeconds(10));
                assertInstanceOf(IllegalStateException.class, error);
                assertEquals(1, reported.size());
                assertTrue(reported.get(0).message().contains("protocol.getBuffer() call failed"),
                        reported.get(0).message());
                assertSame(error, reported.get(0).exception());
            }
        });
    }

    @Test
    void aFailingBufferUpdatedIsAFatalErrorThatClosesTheConnection() {
        AsyncTesting.run(() -> {
            List<ExceptionContext> reported = new ArrayList<>();
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reported.add(context));
            RuntimeException bug = new RuntimeException("bug");
            try (Server server = sender(new byte[] {1, 2, 3}, ServerOptions.defaults())) {
                SmallBuffers p = new SmallBuffers(16) {
                    @Override
                    public void bufferUpdated(int nbytes) {
                        throw bug;
                    }
                };
                Transports.createConnection(() -> p, HOST, port(server));
                assertSame(bug, Asyncio.waitFor(p.lost, java.time.Duration.ofSeconds(10)));
                assertEquals(1, reported.size());
                assertTrue(reported.get(0).message().contains("protocol.bufferUpdated() call failed"),
                        reported.get(0).message());
            }
        });
    }
}
