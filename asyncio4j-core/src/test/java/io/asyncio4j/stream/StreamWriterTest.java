package io.asyncio4j.stream;

import io.asyncio4j.internal.net.StreamReaderImpl;
import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.ExtraInfo;
import java.time.Duration;

/** StreamWriter over loopback connections: asyncio rules N10 and N11. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamWriterTest {

    /** Waits until a counter stops moving: the writer is stuck. */
    private static void waitUntilStalled(long[] counter) {
        long[] last = {-1};
        int[] still = {0};
        eventually(10_000, "the writer stalls", () -> {
            if (counter[0] == last[0]) {
                still[0]++;
            } else {
                still[0] = 0;
                last[0] = counter[0];
            }
            return still[0] >= 20; // unchanged for about 100 ms
        });
    }

    @Test
    void writeNeverSuspendsEvenWhenThePeerDoesNotRead() {
        AsyncTesting.run(() -> {
            Future<Void> go = createFuture();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(go, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                NetTesting.smallKernelBuffers(channel(c.writer()));
                boolean[] othersRan = {false};
                Task<Void> other = createTask(() -> {
                    othersRan[0] = true;
                });
                byte[] chunk = new byte[256 * 1024];
                for (int i = 0; i < 16; i++) {
                    c.writer().write(chunk); // 4 MiB, far more than the socket takes
                }
                assertFalse(othersRan[0], "write() did not let another task run: it never suspends");
                assertTrue(c.writer().transport().getWriteBufferSize() > 0, "the rest is buffered");
                await(other);
                go.setResult(null);
                c.close();
                eventually(10_000, "the server received everything", () -> received.size() == 16 * chunk.length);
            }
        });
    }

    @Test
    void drainSuspendsAgainstAPeerThatDoesNotReadAndResumesWhenItReads() {
        int chunk = 16 * 1024;
        int total = 8 * 1024 * 1024;
        AsyncTesting.run(() -> {
            Future<Void> go = createFuture();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] payload = NetTesting.pattern(total);
            try (Server server = NetTesting.sink(go, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                NetTesting.smallKernelBuffers(channel(c.writer()));
                Transport transport = c.writer().transport();
                long[] written = {0};
                long[] maxBuffered = {0};
                Task<Void> writer = createTask(() -> {
                    for (int off = 0; off < total; off += chunk) {
                        c.writer().write(java.util.Arrays.copyOfRange(payload, off, off + chunk));
                        written[0] += chunk;
                        maxBuffered[0] = Math.max(maxBuffered[0], transport.getWriteBufferSize());
                        c.writer().drain();
                    }
                    c.writer().writeEof();
                });
                waitUntilStalled(written);
                assertFalse(writer.isDone(), "the writer waits in drain()");
                assertTrue(written[0] < total, "stopped early: " + written[0]);
                long high = transport.getWriteBufferHigh();
                assertEquals(64 * 1024, high);
                assertTrue(transport.getWriteBufferSize() > transport.getWriteBufferLow(),
                        "paused above the high mark, drain() waits until the buffer drops to the low mark");
                assertTrue(maxBuffered[0] <= high + chunk,
                        "the write buffer stays bounded near the high water mark: " + maxBuffered[0]);
                go.setResult(null);
                await(writer);
                eventually(10_000, "the server received everything", () -> received.size() == total);
                assertArrayEquals(payload, received.toByteArray());
                assertTrue(maxBuffered[0] <= high + chunk, "still bounded: " + maxBuffered[0]);
                c.close();
            }
        });
    }

    @Test
    void drainReturnsWithoutSuspendingBelowTheHighMark() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                boolean[] othersRan = {false};
                Task<Void> other = createTask(() -> {
                    othersRan[0] = true;
                });
                c.writer().write(bytes("small"));
                c.writer().drain();
                assertFalse(othersRan[0], "drain() did not suspend");
                await(other);
                c.close();
                eventually(5000, "the server received the data", () -> received.size() == 5);
            }
        });
    }

    @Test
    void drainAfterTheConnectionWasLostIsConnectionLost() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                c.writer().close();
                c.writer().waitClosed();
                SocketException e = assertThrows(SocketException.class, () -> c.writer().drain());
                assertEquals("Connection lost", e.getMessage());
            }
        });
    }

    @Test
    void drainOnAClosingConnectionYieldsOnceThenReportsTheLoss() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                c.writer().close(); // nothing buffered: the loss is scheduled at once
                assertTrue(c.writer().isClosing());
                SocketException e = assertThrows(SocketException.class, () -> c.writer().drain());
                assertEquals("Connection lost", e.getMessage());
                c.writer().waitClosed();
            }
        });
    }

    @Test
    void aDrainWaitingForRoomIsWokenWithConnectionLostWhenTheTransportIsAborted() {
        AsyncTesting.run(() -> {
            Future<Void> go = createFuture();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(go, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                NetTesting.smallKernelBuffers(channel(c.writer()));
                Task<Void> writer = createTask(() -> {
                    c.writer().write(new byte[4 * 1024 * 1024]);
                    c.writer().drain();
                });
                sleep(Duration.ofMillis(50));
                assertFalse(writer.isDone(), "waiting in drain()");
                c.writer().transport().abort();
                SocketException e = assertThrows(SocketException.class, () -> await(writer));
                assertEquals("Connection lost", e.getMessage());
                c.writer().waitClosed();
                go.setResult(null);
            }
        });
    }

    @Test
    void drainThrowsTheReadersError() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                IOException boom = new IOException("boom");
                ((StreamReaderImpl) c.reader()).setException(boom);
                assertSame(boom, assertThrows(IOException.class, () -> c.writer().drain()));
                c.writer().close();
                c.writer().waitClosed();
            }
        });
    }

    @Test
    void closeStartsClosingAtOnceAndWaitClosedReturnsOnceTheDataIsSent() {
        AsyncTesting.run(() -> {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = NetTesting.sink(null, received)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                assertFalse(c.writer().isClosing());
                c.writer().write(bytes("bye"));
                c.writer().close();
                assertTrue(c.writer().isClosing());
                c.writer().close(); // idempotent
                assertThrows(IllegalStateException.class, () -> c.writer().write(bytes("more")));
                c.writer().waitClosed();
                c.writer().waitClosed(); // again: returns at once
                eventually(5000, "the server read to the end", () -> received.size() == 3);
                assertEquals("bye", text(received.toByteArray()));
            }
        });
    }

    @Test
    void writeEofHalfClosesAndTheReplyStillArrives() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                byte[] request = r.read(); // to the end of the stream
                w.write(text(request).toUpperCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                assertTrue(c.writer().canWriteEof());
                c.writer().writelines(List.of(bytes("hel"), bytes("lo")));
                c.writer().writeEof();
                c.writer().writeEof(); // idempotent
                assertThrows(IllegalStateException.class, () -> c.writer().write(bytes("late")));
                assertFalse(c.writer().isClosing(), "half-closed, not closing");
                assertEquals("HELLO", text(c.reader().read()));
                assertTrue(c.reader().atEof());
                c.close();
            }
        });
    }

    @Test
    void getExtraInfoGivesThePeerAndLocalAddressesOfBothEnds() {
        AsyncTesting.run(() -> {
            AtomicReference<SocketAddress> serverSawPeer = new AtomicReference<>();
            AtomicReference<SocketAddress> serverSawLocal = new AtomicReference<>();
            try (Server server = Streams.startServer((r, w) -> {
                serverSawPeer.set(w.getExtraInfo(ExtraInfo.PEERNAME));
                serverSawLocal.set(w.getExtraInfo(ExtraInfo.SOCKNAME));
                r.read();
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                InetSocketAddress peer = assertInstanceOf(InetSocketAddress.class, c.writer().getExtraInfo(ExtraInfo.PEERNAME));
                InetSocketAddress local = assertInstanceOf(InetSocketAddress.class, c.writer().getExtraInfo(ExtraInfo.SOCKNAME));
                assertEquals(port(server), peer.getPort());
                assertEquals(HOST, peer.getAddress().getHostAddress());
                assertInstanceOf(SocketChannel.class, c.writer().getExtraInfo(ExtraInfo.SOCKET));
                assertNull(c.writer().getExtraInfo(ExtraInfo.SSL_OBJECT), "no TLS session on a plain connection");
                eventually(5000, "the handler ran", () -> serverSawPeer.get() != null);
                assertEquals(local, serverSawPeer.get());
                assertEquals(peer, serverSawLocal.get());
                c.close();
                assertEquals(peer, c.writer().getExtraInfo(ExtraInfo.PEERNAME), "kept after the connection is closed");
                assertEquals(local, c.writer().getExtraInfo(ExtraInfo.SOCKNAME));
            }
        });
    }

    @Test
    void writeAfterTheConnectionWasResetIsDroppedAndDrainReportsTheError() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                r.readExactly(1); // the client is connected
                channel(w).setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                w.transport().abort(); // a reset
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                c.writer().write(bytes("!"));
                IOException readError = assertThrows(IOException.class, () -> c.reader().read());
                assertInstanceOf(SocketException.class, readError, readError.toString());
                c.writer().write(bytes("into the void")); // dropped, as asyncio drops it
                IOException e = assertThrows(IOException.class, () -> c.writer().drain());
                assertSame(readError, e);
                IOException closed = assertThrows(IOException.class, () -> c.writer().waitClosed());
                assertSame(readError, closed);
            }
        });
    }
}
