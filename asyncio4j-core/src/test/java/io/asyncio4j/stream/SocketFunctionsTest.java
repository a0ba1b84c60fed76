package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transports;
import java.time.Duration;

/** The sock* functions on raw non-blocking channels: asyncio's sock_connect/accept/recv/sendall. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketFunctionsTest {

    private static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel l = ServerSocketChannel.open();
        l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        l.configureBlocking(false);
        return l;
    }

    private static SocketChannel nonBlocking() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void connectAcceptSendAndReceiveOnNonBlockingChannels() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                sleep(Duration.ZERO);
                assertFalse(accepting.isDone(), "sockAccept waits for a client");
                Transports.sockConnect(client, l.getLocalAddress());
                assertTrue(client.isConnected());
                try (SocketChannel server = await(accepting)) {
                    assertFalse(server.isBlocking(), "the accepted channel is non-blocking");
                    Task<byte[]> receiving = createTask(() -> Transports.sockRecv(server, 100));
                    sleep(Duration.ZERO);
                    assertFalse(receiving.isDone(), "sockRecv waits for data");
                    Transports.sockSendall(client, bytes("hello"));
                    assertEquals("hello", text(await(receiving)));

                    Transports.sockSendall(server, ByteBuffer.wrap(bytes("back at you")));
                    ByteBuffer into = ByteBuffer.allocate(4);
                    assertEquals(4, Transports.sockRecvInto(client, into));
                    assertEquals("back", text(into.array()));
                    assertEquals(0, Transports.sockRecvInto(client, into), "a full buffer receives nothing");
                    assertEquals(" at you", text(Transports.sockRecv(client, 100)));
                }
            }
        });
    }

    @Test
    void sockRecvAtTheEndOfTheStreamIsEmpty() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                Transports.sockConnect(client, l.getLocalAddress());
                SocketChannel server = await(accepting);
                Transports.sockSendall(server, bytes("x"));
                server.close();
                assertEquals("x", text(Transports.sockRecv(client, 10)));
                assertEquals(0, Transports.sockRecv(client, 10).length);
                assertEquals(0, Transports.sockRecvInto(client, ByteBuffer.allocate(10)));
            }
        });
    }

    @Test
    void blockingChannelsAreAnIllegalArgumentException() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = ServerSocketChannel.open(); SocketChannel ch = SocketChannel.open()) {
                l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketAddress a = l.getLocalAddress();
                assertThrows(IllegalArgumentException.class, () -> Transports.sockAccept(l));
                assertThrows(IllegalArgumentException.class, () -> Transports.sockConnect(ch, a));
                assertThrows(IllegalArgumentException.class, () -> Transports.sockRecv(ch, 1));
                assertThrows(IllegalArgumentException.class, () -> Transports.sockRecvInto(ch, ByteBuffer.allocate(1)));
                assertThrows(IllegalArgumentException.class, () -> Transports.sockSendall(ch, bytes("x")));
                assertFalse(ch.isConnected(), "rejected before doing anything");
            }
        });
    }

    @Test
    void sockConnectToAClosedPortIsRefused() {
        AsyncTesting.run(() -> {
            SocketAddress closed;
            try (ServerSocketChannel l = listener()) {
                closed = l.getLocalAddress();
            }
            try (SocketChannel ch = nonBlocking()) {
                assertThrows(ConnectException.class, () -> Transports.sockConnect(ch, closed));
            }
        });
    }

    @Test
    void aLargeSendallToASlowReceiverSuspendsAndDeliversEveryByte() {
        int total = 8 * 1024 * 1024;
        AsyncTesting.run(() -> {
            byte[] payload = NetTesting.pattern(total);
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                Transports.sockConnect(client, l.getLocalAddress());
                try (SocketChannel server = await(accepting)) {
                    NetTesting.smallKernelBuffers(server);
                    NetTesting.smallKernelBuffers(client);
                    int[] ticks = {0};
                    boolean[] stop = {false};
                    Task<Void> ticker = createTask(() -> {
                        while (!stop[0]) {
                            ticks[0]++;
                            sleep(Duration.ofMillis(1));
                        }
                    });
                    Task<Void> sending = createTask(() -> Transports.sockSendall(client, payload));
                    sleep(Duration.ofMillis(20));
                    assertFalse(sending.isDone(), "sendall waits for the receiver");
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    int reads = 0;
                    while (got.size() < total) {
                        buf.clear();
                        int n = Transports.sockRecvInto(server, buf);
                        assertTrue(n > 0, "no early end of stream");
                        got.write(buf.array(), 0, n);
                        if (++reads % 16 == 0) {
                            sleep(Duration.ofMillis(1)); // slow
                        }
                    }
                    await(sending);
                    stop[0] = true;
                    await(ticker);
                    assertArrayEquals(payload, got.toByteArray());
                    assertTrue(ticks[0] >= 5, "other tasks ran meanwhile: " + ticks[0]);
                }
            }
        });
    }

    @Test
    void aCancelledSockRecvLeavesTheChannelUsableAndLosesNoData() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                Transports.sockConnect(client, l.getLocalAddress());
                try (SocketChannel server = await(accepting)) {
                    Task<byte[]> receiving = createTask(() -> Transports.sockRecv(server, 10));
                    sleep(Duration.ZERO);
                    receiving.cancel();
                    sleep(Duration.ZERO);
                    assertTrue(receiving.isCancelled());
                    Transports.sockSendall(client, bytes("kept"));
                    assertEquals("kept", text(Transports.sockRecv(server, 10)));
                }
            }
        });
    }

    @Test
    void oneTaskCanReceiveWhileAnotherSendsOnTheSameChannel() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                Transports.sockConnect(client, l.getLocalAddress());
                try (SocketChannel server = await(accepting)) {
                    NetTesting.smallKernelBuffers(server);
                    Task<byte[]> receiving = createTask(() -> Transports.sockRecv(server, 100));
                    int big = 4 * 1024 * 1024;
                    Task<Void> sending = createTask(() -> Transports.sockSendall(server, new byte[big]));
                    sleep(Duration.ofMillis(20));
                    assertFalse(sending.isDone(), "the sender waits for room");
                    Transports.sockSendall(client, bytes("ping"));
                    assertEquals("ping", text(await(receiving)), "the receiver was not forgotten");
                    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
                    long got = 0;
                    while (got < big) {
                        sink.clear();
                        got += Transports.sockRecvInto(client, sink);
                    }
                    await(sending);
                }
            }
        });
    }

    @Test
    void aSecondTaskReceivingFromTheSameChannelIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            try (ServerSocketChannel l = listener(); SocketChannel client = nonBlocking()) {
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                Transports.sockConnect(client, l.getLocalAddress());
                try (SocketChannel server = await(accepting)) {
                    Task<byte[]> first = createTask(() -> Transports.sockRecv(server, 100));
                    sleep(Duration.ZERO);
                    assertThrows(IllegalStateException.class, () -> Transports.sockRecv(server, 100));
                    Transports.sockSendall(client, bytes("one"));
                    assertEquals("one", text(await(first)));
                }
            }
        });
    }

    @Test
    void theChannelOfATransportCannotBeUsedWithTheSockFunctions() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                r.read();
                w.close();
            }, NetTesting.HOST, 0)) {
                Streams.Connection c = Streams.openConnection(NetTesting.HOST, NetTesting.port(server));
                SocketChannel ch = NetTesting.channel(c.writer());
                assertThrows(IllegalStateException.class, () -> Transports.sockRecv(ch, 10));
                c.close();
            }
        });
    }

    // ------------------------------------------------------------------ datagrams

    private static java.nio.channels.DatagramChannel udp() throws IOException {
        java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void sockSendtoAndSockRecvfromIntoExchangeDatagramsWithTheSendersAddress() {
        AsyncTesting.run(() -> {
            try (java.nio.channels.DatagramChannel a = udp(); java.nio.channels.DatagramChannel b = udp()) {
                ByteBuffer into = ByteBuffer.allocate(100);
                Task<SocketAddress> receiving = createTask(() -> Transports.sockRecvfromInto(a, into));
                sleep(Duration.ofMillis(10));
                assertFalse(receiving.isDone(), "waits for a datagram");
                assertEquals(5, Transports.sockSendto(b, ByteBuffer.wrap(bytes("hello")), a.getLocalAddress()));
                assertEquals(b.getLocalAddress(), await(receiving));
                assertEquals("hello", text(java.util.Arrays.copyOf(into.array(), into.position())));
            }
        });
    }

    @Test
    void aCancelledSockRecvfromIntoReceivesNothingAndTheNextOneGetsTheDatagram() {
        AsyncTesting.run(() -> {
            try (java.nio.channels.DatagramChannel a = udp(); java.nio.channels.DatagramChannel b = udp()) {
                ByteBuffer first = ByteBuffer.allocate(100);
                Task<SocketAddress> cancelled = createTask(() -> Transports.sockRecvfromInto(a, first));
                sleep(Duration.ofMillis(10));
                cancelled.cancel();
                sleep(Duration.ZERO);
                assertTrue(cancelled.isCancelled());
                Transports.sockSendto(b, ByteBuffer.wrap(bytes("kept")), a.getLocalAddress());
                ByteBuffer second = ByteBuffer.allocate(100);
                assertEquals(b.getLocalAddress(), Transports.sockRecvfromInto(a, second));
                assertEquals(0, first.position(), "the cancelled receive took nothing");
                assertEquals("kept", text(java.util.Arrays.copyOf(second.array(), second.position())));
            }
        });
    }
}
