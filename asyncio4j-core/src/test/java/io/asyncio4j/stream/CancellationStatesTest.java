package io.asyncio4j.stream;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.internal.net.StreamReaderImpl;
import java.time.Duration;

/**
 * What state a stream, a writer and a server are left in when the task using them is cancelled:
 * the states documented on StreamReader, StreamWriter and Server.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CancellationStatesTest {

    @Test
    void cancellingAReadLosesNoDataTheNextReadGetsIt() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.readExactly(10));
            sleep(Duration.ZERO);
            r.feedData(bytes("0123"));
            sleep(Duration.ZERO);
            assertFalse(t.isDone(), "waiting for the rest");
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            r.feedData(bytes("456789"));
            assertEquals("0123456789", text(r.readExactly(10)));
        });
    }

    @Test
    void cancellingAReadWhoseDataJustArrivedLeavesTheDataBuffered() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.readLine());
            sleep(Duration.ZERO);
            r.feedData(bytes("line\n")); // wakes the reader...
            t.cancel(); // ...which is cancelled before it runs
            assertThrows(CancelledError.class, () -> await(t));
            assertEquals("line\n", text(r.readLine()));
        });
    }

    @Test
    void cancellingAReadOverAConnectionLosesNoData() {
        AsyncTesting.run(() -> {
            Future<Void> sendRest = createFuture();
            try (Server server = Streams.startServer((r, w) -> {
                w.write(bytes("first "));
                await(sendRest);
                w.write(bytes("half\n"));
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                Task<byte[]> t = createTask(() -> c.reader().readLine());
                eventually(5000, "the first half arrives", () -> ((StreamReaderImpl) c.reader()).bufferedSize() == 6);
                t.cancel();
                assertThrows(CancelledError.class, () -> await(t));
                sendRest.setResult(null);
                assertEquals("first half\n", text(c.reader().readLine()));
                assertEquals(0, c.reader().read().length);
                c.close();
            }
        });
    }

    @Test
    void cancellingADrainKeepsTheBufferedDataAndTheConnection() {
        int chunk = 64 * 1024;
        AsyncTesting.run(() -> {
            Future<Void> go = createFuture();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (Server server = Streams.startServer((r, w) -> {
                NetTesting.smallKernelBuffers(channel(w));
                NetTesting.awaitSignal(go);
                received.writeBytes(r.read());
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                NetTesting.smallKernelBuffers(channel(c.writer()));
                long[] written = {0};
                Task<Void> writer = createTask(() -> {
                    while (true) {
                        c.writer().write(NetTesting.pattern(chunk));
                        written[0] += chunk;
                        c.writer().drain();
                    }
                });
                eventually(5000, "the writer waits in drain()",
                        () -> c.writer().transport().getWriteBufferSize() > 64 * 1024);
                sleep(Duration.ofMillis(20));
                long buffered = c.writer().transport().getWriteBufferSize();
                assertTrue(buffered > 64 * 1024, "still above the high mark: the writer is in drain()");
                writer.cancel();
                assertThrows(CancelledError.class, () -> await(writer));
                assertFalse(c.writer().isClosing(), "the connection stays open");
                assertEquals(buffered, c.writer().transport().getWriteBufferSize(), "the buffer is kept");
                c.writer().write(bytes("END"));
                go.setResult(null);
                c.writer().drain();
                c.writer().writeEof();
                eventually(10_000, "everything arrives", () -> received.size() == written[0] + 3);
                byte[] all = received.toByteArray();
                byte[] one = NetTesting.pattern(chunk);
                for (int off = 0; off + chunk <= written[0]; off += chunk) {
                    assertArrayEquals(one, java.util.Arrays.copyOfRange(all, off, off + chunk), "chunk at " + off);
                }
                assertEquals("END", text(java.util.Arrays.copyOfRange(all, all.length - 3, all.length)));
                c.close();
            }
        });
    }

    @Test
    void cancellingWaitClosedLeavesTheConnectionToCloseNormally() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                r.read();
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                Task<Void> waiter = createTask(() -> c.writer().waitClosed());
                sleep(Duration.ZERO);
                waiter.cancel();
                assertThrows(CancelledError.class, () -> await(waiter));
                c.writer().close();
                c.writer().waitClosed(); // neither cancelled nor failed
                assertTrue(c.writer().isClosing());
            }
        });
    }

    @Test
    void cancellingSockAcceptLeavesTheListenerUsable() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = ServerSocketChannel.open()) {
                l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                l.configureBlocking(false);
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                sleep(Duration.ZERO);
                accepting.cancel();
                assertThrows(CancelledError.class, () -> await(accepting));
                assertTrue(l.isOpen());
                Task<SocketChannel> again = createTask(() -> Transports.sockAccept(l));
                try (SocketChannel client = SocketChannel.open()) {
                    client.configureBlocking(false);
                    Transports.sockConnect(client, l.getLocalAddress());
                    try (SocketChannel accepted = await(again)) {
                        Transports.sockSendall(client, bytes("hi"));
                        assertEquals("hi", text(Transports.sockRecv(accepted, 10)));
                    }
                }
            }
        });
    }

    @Test
    void cancellingServeForeverClosesTheServer() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer((r, w) -> w.close(), HOST, 0);
            int port = port(server);
            Task<Void> serving = createTask(server::serveForever);
            sleep(Duration.ZERO);
            serving.cancel();
            assertThrows(CancelledError.class, () -> await(serving));
            assertFalse(server.isServing());
            assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port));
            server.waitClosed();
        });
    }

    @Test
    void cancellingAConnectClosesItsChannel() throws IOException {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), HOST, 0)) {
                int before = NetTesting.openFds();
                for (int i = 0; i < 50; i++) {
                    Task<Streams.Connection> t = createTask(() -> Streams.openConnection(HOST, port(server)));
                    sleep(Duration.ZERO); // started: the connect is in flight or done
                    t.cancel();
                    try {
                        await(t).close(); // it won the race: close it
                    } catch (CancelledError expected) {
                        // the attempt was cancelled and closed its channel
                    }
                }
                sleep(Duration.ofMillis(50));
                int after = NetTesting.openFds();
                assertTrue(after - before <= 10, "file descriptors before " + before + ", after " + after);
            }
        });
    }
}
