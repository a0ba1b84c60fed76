package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Task;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.internal.net.StreamReaderImpl;

/** Stream connections over TCP on loopback: open_connection / start_server semantics. */
class StreamsTest {

    private static int port(Server s) {
        return s.port();
    }

    @Test
    void anEchoServerEchoesLinesToAClient() {
        List<String> replies = AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                for (byte[] line : r) {
                    w.write(line);
                    w.drain();
                }
                w.close();
            }, "127.0.0.1", 0)) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
                List<String> out = new ArrayList<>();
                for (String s : List.of("hello\n", "world\n")) {
                    c.writer().write(s.getBytes(UTF_8));
                    c.writer().drain();
                    out.add(new String(c.reader().readLine(), UTF_8));
                }
                c.writer().writeEof();
                assertArrayEquals(new byte[0], c.reader().read());
                c.close();
                return out;
            }
        });
        assertEquals(List.of("hello\n", "world\n"), replies);
    }

    @Test
    void aProtocolServerEchoesWithoutATaskPerRead() {
        String reply = AsyncTesting.run(() -> {
            try (Server server = Transports.createServer(() -> new Protocol() {
                private Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    t = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    t.write(data);
                }
            }, "127.0.0.1", 0)) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
                c.writer().write("ping".getBytes(UTF_8));
                String got = new String(c.reader().readExactly(4), UTF_8);
                c.close();
                server.closeClients();
                return got;
            }
        });
        assertEquals("ping", reply);
    }

    @Test
    void connectingToAClosedPortIsRefused() {
        AsyncTesting.run(() -> {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            assertThrows(ConnectException.class, () -> Streams.openConnection("127.0.0.1", port));
        });
    }

    @Test
    void manyClientsAreServedConcurrently() {
        int n = 50;
        int served = AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                byte[] req = r.readExactly(4);
                w.write(req);
                w.close();
            }, "127.0.0.1", 0)) {
                List<Task<String>> clients = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String msg = String.format("%04d", i);
                    clients.add(createTask(() -> {
                        Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
                        c.writer().write(msg.getBytes(UTF_8));
                        String got = new String(c.reader().read(), UTF_8);
                        c.close();
                        return got;
                    }));
                }
                int ok = 0;
                for (int i = 0; i < n; i++) {
                    if (await(clients.get(i)).equals(String.format("%04d", i))) {
                        ok++;
                    }
                }
                return ok;
            }
        });
        assertEquals(n, served);
    }

    @Test
    void readUntilKeepsTheDataWhenTheLimitIsOverrun() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl(4);
            r.feedData("abcdefgh".getBytes(UTF_8));
            LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> r.readUntil("\n".getBytes(UTF_8)));
            assertTrue(e.consumed() > 4);
            r.feedData("\n".getBytes(UTF_8));
            r.feedEof();
            assertEquals("abcdefgh\n", new String(r.read(), UTF_8));
        });
    }
}
