package io.asyncio4j.stream;

import static io.asyncio4j.stream.NetTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.datagram.DatagramProtocol;
import io.asyncio4j.datagram.DatagramTransport;
import io.asyncio4j.datagram.Datagrams;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.transport.ExtraInfo;

/**
 * What a loop does with sockets still open when it closes (at the end of {@code Asyncio.run}):
 * those of its transports and servers are closed, since nothing could ever close them otherwise;
 * channels of the user's own are left open.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopCloseTest {

    @Test
    void transportsAndServersLeftOpenAreClosedWithTheirLoop() {
        Object[] left = AsyncTesting.run(() -> {
            Server server = Transports.createServer(() -> new Protocol() { }, HOST, 0);
            Transport client = Transports.createConnection(() -> new Protocol() { }, HOST, server.port());
            DatagramTransport udp = Datagrams.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    new InetSocketAddress(HOST, 0), null);
            return new Object[] {server.port(), NetTesting.channel(client), udp.getExtraInfo(ExtraInfo.SOCKET)};
        });
        int port = (Integer) left[0];
        assertThrows(ConnectException.class, () -> new Socket(HOST, port).close(), "the listener is closed");
        assertFalse(((SocketChannel) left[1]).isOpen(), "the client's socket is closed");
        assertFalse(((DatagramChannel) left[2]).isOpen(), "the datagram socket is closed");
    }

    @Test
    void aUnixServerLeftOpenHasItsSocketFileRemoved() throws Exception {
        Path dir = Files.createTempDirectory("asyncio4j-loopclose");
        Path path = dir.resolve("s.sock");
        try {
            AsyncTesting.run(() -> {
                Streams.startUnixServer((r, w) -> w.close(), path);
                assertTrue(Files.exists(path));
            });
            assertFalse(Files.exists(path), "the socket file went with the loop");
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void channelsOfTheUsersOwnStayOpen() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(HOST, 0));
            SocketChannel mine = SocketChannel.open();
            mine.configureBlocking(false);
            AsyncTesting.run(() -> {
                Transports.sockConnect(mine, listener.getLocalAddress());
            });
            assertTrue(mine.isOpen(), "a channel used with the sock* functions is the user's");
            mine.close();
        }
    }
}
