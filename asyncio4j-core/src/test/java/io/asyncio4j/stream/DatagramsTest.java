package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.datagram.DatagramOptions;
import io.asyncio4j.datagram.DatagramProtocol;
import io.asyncio4j.datagram.DatagramTransport;
import io.asyncio4j.datagram.Datagrams;
import io.asyncio4j.transport.ExtraInfo;

/** UDP endpoints on loopback: create_datagram_endpoint, DatagramTransport and DatagramProtocol semantics. */
@Timeout(30)
class DatagramsTest {

    /** Records every event; echoes datagrams back to their sender when asked to. */
    static class Recorder implements DatagramProtocol {
        final boolean echo;
        DatagramTransport transport;
        final List<String> received = new ArrayList<>();
        final List<SocketAddress> senders = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();
        boolean insideClose;
        boolean lostInsideClose;

        Recorder(boolean echo) {
            this.echo = echo;
        }

        Recorder() {
            this(false);
        }

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            senders.add(from);
            if (echo) {
                data.mark();
                received.add(UTF_8.decode(data).toString());
                data.reset();
                transport.sendto(data, from);
            } else {
                received.add(UTF_8.decode(data).toString());
            }
        }

        @Override
        public void errorReceived(Throwable error) {
            errors.add(error);
        }

        @Override
        public void connectionLost(Throwable error) {
            lostInsideClose |= insideClose;
            lost.add(error);
        }

        void close() {
            insideClose = true;
            try {
                transport.close();
            } finally {
                insideClose = false;
            }
        }

        /** Closes the endpoint and waits for connectionLost. */
        void closeAndWait() {
            close();
            eventually(() -> !lost.isEmpty());
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static InetSocketAddress sockname(DatagramTransport t) {
        return (InetSocketAddress) t.getExtraInfo(ExtraInfo.SOCKNAME);
    }

    private static DatagramTransport open(Recorder r, SocketAddress local, SocketAddress remote) throws IOException {
        DatagramTransport t = Datagrams.createDatagramEndpoint(() -> r, local, remote);
        assertSame(t, r.transport, "connectionMade has run when createDatagramEndpoint returns");
        return t;
    }

    /** Polls a condition from a task until it holds, for at most 10 seconds. */
    private static void eventually(BooleanSupplier condition) {
        waitFor(() -> {
            while (!condition.getAsBoolean()) {
                sleep(Duration.ofMillis(1));
            }
            return null;
        }, Duration.ofSeconds(10));
    }

    private static int closedPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(loopback())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnconnectedEchoServerAnswersEachClientAtItsAddress() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder(true);
            DatagramTransport st = open(server, loopback(), null);
            InetSocketAddress serverAddress = sockname(st);
            assertNull(st.getExtraInfo(ExtraInfo.PEERNAME));
            assertInstanceOf(DatagramChannel.class, st.getExtraInfo(ExtraInfo.SOCKET));
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            DatagramTransport at = open(a, loopback(), null);
            DatagramTransport bt = open(b, loopback(), null);
            at.sendto("from a".getBytes(UTF_8), serverAddress);
            bt.sendto("from b".getBytes(UTF_8), serverAddress);
            at.sendto(ByteBuffer.wrap("again a".getBytes(UTF_8)), serverAddress);
            eventually(() -> a.received.size() == 2 && b.received.size() == 1);
            assertEquals(List.of("from a", "again a"), a.received);
            assertEquals(List.of("from b"), b.received);
            assertEquals(List.of(serverAddress, serverAddress), a.senders);
            assertEquals(3, server.received.size());
            a.closeAndWait();
            b.closeAndWait();
            server.closeAndWait();
            assertTrue(server.errors.isEmpty() && a.errors.isEmpty() && b.errors.isEmpty());
        });
    }

    @Test
    void datagramReceivedGetsTheSendersAddress() {
        AsyncTesting.run(() -> {
            Recorder receiver = new Recorder();
            DatagramTransport rt = open(receiver, loopback(), null);
            Recorder sender = new Recorder();
            DatagramTransport st = open(sender, loopback(), null);
            st.sendto("hi".getBytes(UTF_8), sockname(rt));
            eventually(() -> !receiver.senders.isEmpty());
            InetSocketAddress from = (InetSocketAddress) receiver.senders.get(0);
            assertEquals(sockname(st).getPort(), from.getPort());
            assertEquals(InetAddress.getLoopbackAddress(), from.getAddress());
            receiver.closeAndWait();
            sender.closeAndWait();
        });
    }

    @Test
    void aConnectedEndpointTalksToItsPeerWithoutAddresses() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder(true);
            DatagramTransport st = open(server, loopback(), null);
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, null, sockname(st));
            assertEquals(sockname(st), ct.getExtraInfo(ExtraInfo.PEERNAME));
            ct.sendto("one".getBytes(UTF_8));
            ct.sendto("two".getBytes(UTF_8), sockname(st)); // the peer's own address is allowed
            eventually(() -> client.received.size() == 2);
            assertEquals(List.of("one", "two"), client.received);
            assertEquals(List.of(sockname(ct), sockname(ct)), server.senders);
            client.closeAndWait();
            server.closeAndWait();
        });
    }

    @Test
    void aConnectedEndpointReceivesNothingFromOtherAddresses() {
        AsyncTesting.run(() -> {
            Recorder peer = new Recorder();
            DatagramTransport pt = open(peer, loopback(), null);
            Recorder stranger = new Recorder();
            DatagramTransport xt = open(stranger, loopback(), null);
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, loopback(), sockname(pt));
            xt.sendto("stranger".getBytes(UTF_8), sockname(ct));
            pt.sendto("peer".getBytes(UTF_8), sockname(ct));
            eventually(() -> !client.received.isEmpty());
            sleep(Duration.ofMillis(20));
            assertEquals(List.of("peer"), client.received);
            client.closeAndWait();
            peer.closeAndWait();
            stranger.closeAndWait();
        });
    }

    @Test
    void aZeroLengthDatagramIsDelivered() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder(true);
            DatagramTransport st = open(server, loopback(), null);
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, loopback(), null);
            ct.sendto(new byte[0], sockname(st));
            ct.sendto("after".getBytes(UTF_8), sockname(st));
            eventually(() -> client.received.size() == 2);
            assertEquals(List.of("", "after"), server.received);
            assertEquals(List.of("", "after"), client.received, "the echo of the empty datagram came back");
            assertEquals(sockname(ct), server.senders.get(0));
            client.closeAndWait();
            server.closeAndWait();
        });
    }

    @Test
    void aZeroLengthDatagramOnAConnectedEndpointIsRejectedLoudly() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder();
            DatagramTransport st = open(server, loopback(), null);
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, null, sockname(st));
            assertThrows(UnsupportedOperationException.class, () -> ct.sendto(new byte[0]));
            assertFalse(ct.isClosing());
            client.closeAndWait();
            server.closeAndWait();
        });
    }

    @Test
    void errorReceivedReportsAClosedPortOnAConnectedEndpointWithoutClosingIt() {
        AsyncTesting.run(() -> {
            InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort());
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, null, nobody);
            waitFor(() -> {
                while (client.errors.isEmpty()) {
                    ct.sendto("anyone?".getBytes(UTF_8));
                    sleep(Duration.ofMillis(10));
                }
                return null;
            }, Duration.ofSeconds(10));
            Throwable e = client.errors.get(0);
            assertTrue(e instanceof java.net.PortUnreachableException || e instanceof java.net.ConnectException,
                    "an ICMP port unreachable: " + e);
            assertFalse(ct.isClosing(), "errorReceived is not fatal");
            assertTrue(client.lost.isEmpty());
            client.closeAndWait();
            assertEquals(1, client.lost.size());
            assertNull(client.lost.get(0));
        });
    }

    @Test
    void connectionLostIsCalledOnceAfterCloseAndNeverInsideIt() {
        AsyncTesting.run(() -> {
            Recorder r = new Recorder();
            DatagramTransport t = open(r, loopback(), null);
            assertFalse(t.isClosing());
            r.close();
            assertTrue(t.isClosing());
            assertTrue(r.lost.isEmpty(), "not inside close()");
            t.close(); // idempotent
            t.abort();
            eventually(() -> !r.lost.isEmpty());
            sleep(Duration.ofMillis(10));
            assertEquals(1, r.lost.size());
            assertNull(r.lost.get(0));
            assertFalse(r.lostInsideClose);
            assertFalse(((DatagramChannel) t.getExtraInfo(ExtraInfo.SOCKET)).isOpen());
        });
    }

    @Test
    void closeStopsReceivingAtOnce() {
        AsyncTesting.run(() -> {
            Recorder receiver = new Recorder();
            DatagramTransport rt = open(receiver, loopback(), null);
            Recorder sender = new Recorder();
            DatagramTransport st = open(sender, loopback(), null);
            st.sendto("late".getBytes(UTF_8), sockname(rt));
            receiver.close();
            eventually(() -> !receiver.lost.isEmpty());
            assertTrue(receiver.received.isEmpty(), "nothing is delivered once closing");
            sender.closeAndWait();
        });
    }

    @Test
    void abortClosesAtOnceAndCallsConnectionLostLater() {
        AsyncTesting.run(() -> {
            Recorder r = new Recorder();
            DatagramTransport t = open(r, loopback(), null);
            t.abort();
            assertTrue(t.isClosing());
            assertTrue(r.lost.isEmpty());
            assertEquals(0, t.getWriteBufferSize());
            eventually(() -> !r.lost.isEmpty());
            sleep(Duration.ofMillis(10));
            assertEquals(1, r.lost.size());
            assertNull(r.lost.get(0));
            assertThrows(IllegalStateException.class,
                    () -> t.sendto("x".getBytes(UTF_8), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        });
    }

    @Test
    void aBurstOfAThousandDatagramsArrivesWithoutLoss() {
        int n = 1000;
        AsyncTesting.run(() -> {
            BitSet seen = new BitSet(n);
            int[] count = {0};
            DatagramTransport rt = Datagrams.createDatagramEndpoint(() -> new DatagramProtocol() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                    assertEquals(100, data.remaining());
                    seen.set(data.getInt(data.position()));
                    count[0]++;
                }
            }, loopback(), null);
            Recorder sender = new Recorder();
            DatagramTransport st = open(sender, loopback(), null);
            ByteBuffer datagram = ByteBuffer.allocate(100);
            for (int i = 0; i < n; i++) {
                datagram.clear();
                datagram.putInt(0, i);
                st.sendto(datagram, sockname(rt));
                assertFalse(datagram.hasRemaining(), "the buffer is consumed");
                if (i % 10 == 9) {
                    sleep(Duration.ZERO); // let the receiver read, as a peer on another host would
                }
            }
            eventually(() -> count[0] == n);
            assertEquals(n, seen.cardinality());
            assertEquals(0, st.getWriteBufferSize());
            rt.close();
            sender.closeAndWait();
            assertTrue(sender.errors.isEmpty());
        });
    }

    @Test
    void sendtoAnotherAddressOnAConnectedEndpointIsAnError() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder();
            DatagramTransport st = open(server, loopback(), null);
            Recorder client = new Recorder();
            DatagramTransport ct = open(client, null, sockname(st));
            InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ct.sendto("x".getBytes(UTF_8), other));
            assertTrue(e.getMessage().contains("Invalid address"), e.getMessage());
            assertFalse(ct.isClosing());
            client.closeAndWait();
            server.closeAndWait();
        });
    }

    @Test
    void sendtoWithoutAnAddressOnAnUnconnectedEndpointIsAnError() {
        AsyncTesting.run(() -> {
            Recorder r = new Recorder();
            DatagramTransport t = open(r, loopback(), null);
            assertThrows(IllegalArgumentException.class, () -> t.sendto("x".getBytes(UTF_8)));
            assertThrows(IllegalArgumentException.class,
                    () -> t.sendto("x".getBytes(UTF_8), InetSocketAddress.createUnresolved("example.invalid", 9)));
            r.closeAndWait();
        });
    }

    @Test
    void sendtoAfterCloseIsAnError() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder();
            DatagramTransport st = open(server, loopback(), null);
            Recorder r = new Recorder();
            DatagramTransport t = open(r, loopback(), null);
            t.close();
            assertThrows(IllegalStateException.class, () -> t.sendto("x".getBytes(UTF_8), sockname(st)));
            eventually(() -> !r.lost.isEmpty());
            assertThrows(IllegalStateException.class, () -> t.sendto("x".getBytes(UTF_8), sockname(st)));
            server.closeAndWait();
        });
    }

    @Test
    void aFailingDatagramReceivedIsReportedAndTheEndpointStaysOpen() {
        List<String> received = new ArrayList<>();
        AsyncTesting.Reports reports = AsyncTesting.runCollecting(() -> {
            boolean[] lost = {false};
            DatagramTransport rt = Datagrams.createDatagramEndpoint(() -> new DatagramProtocol() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                    String s = UTF_8.decode(data).toString();
                    received.add(s);
                    if (s.equals("bad")) {
                        throw new IllegalStateException("boom");
                    }
                }

                @Override
                public void connectionLost(Throwable error) {
                    lost[0] = true;
                }
            }, loopback(), null);
            Recorder sender = new Recorder();
            DatagramTransport st = open(sender, loopback(), null);
            st.sendto("bad".getBytes(UTF_8), sockname(rt));
            st.sendto("good".getBytes(UTF_8), sockname(rt));
            eventually(() -> received.size() == 2);
            assertFalse(rt.isClosing());
            rt.close();
            eventually(() -> lost[0]);
            sender.closeAndWait();
        });
        assertEquals(List.of("bad", "good"), received);
        assertEquals(1, reports.all().size(), reports.messages().toString());
        assertTrue(reports.messages().get(0).startsWith("protocol.datagramReceived() call failed"));
        assertInstanceOf(IllegalStateException.class, reports.all().get(0).exception());
    }

    @Test
    void hostNamesAndPortsAreResolved() {
        AsyncTesting.run(() -> {
            Recorder server = new Recorder(true);
            DatagramTransport st = Datagrams.createDatagramEndpoint(() -> server, "127.0.0.1", 0, null, 0);
            int port = sockname(st).getPort();
            Recorder client = new Recorder();
            DatagramTransport ct = Datagrams.createDatagramEndpoint(() -> client, null, 0, "127.0.0.1", port);
            assertEquals(new InetSocketAddress("127.0.0.1", port), ct.getExtraInfo(ExtraInfo.PEERNAME));
            ct.sendto("resolved".getBytes(UTF_8));
            eventually(() -> !client.received.isEmpty());
            assertEquals(List.of("resolved"), client.received);
            Recorder named = new Recorder();
            DatagramTransport nt = Datagrams.createDatagramEndpoint(() -> named, null,
                    InetSocketAddress.createUnresolved("localhost", port));
            assertTrue(((InetSocketAddress) nt.getExtraInfo(ExtraInfo.PEERNAME)).getAddress().isLoopbackAddress());
            assertThrows(IllegalArgumentException.class,
                    () -> Datagrams.createDatagramEndpoint(Recorder::new, null, 0, null, 53));
            named.closeAndWait();
            client.closeAndWait();
            server.closeAndWait();
        });
    }

    @Test
    void optionsSetTheSocketOptions() {
        AsyncTesting.run(() -> {
            DatagramOptions options = DatagramOptions.defaults().withReusePort(true).withAllowBroadcast(true);
            Recorder a = new Recorder();
            DatagramTransport at = Datagrams.createDatagramEndpoint(() -> a, loopback(), null, options);
            DatagramChannel ch = (DatagramChannel) at.getExtraInfo(ExtraInfo.SOCKET);
            assertTrue(ch.getOption(StandardSocketOptions.SO_BROADCAST));
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEPORT));
            assertFalse(ch.getOption(StandardSocketOptions.SO_REUSEADDR));
            Recorder b = new Recorder();
            DatagramTransport bt = Datagrams.createDatagramEndpoint(() -> b, sockname(at), null, options);
            assertEquals(sockname(at), sockname(bt), "SO_REUSEPORT lets two endpoints share a port");
            assertThrows(java.net.BindException.class,
                    () -> Datagrams.createDatagramEndpoint(Recorder::new, sockname(at), null));
            a.closeAndWait();
            b.closeAndWait();
        });
    }

    @Test
    void writeBufferLimitsAreChecked() {
        AsyncTesting.run(() -> {
            Recorder r = new Recorder();
            DatagramTransport t = open(r, loopback(), null);
            assertEquals(64 * 1024, t.getWriteBufferHigh());
            assertEquals(16 * 1024, t.getWriteBufferLow());
            t.setWriteBufferLimits(1000, 10);
            assertEquals(1000, t.getWriteBufferHigh());
            assertEquals(10, t.getWriteBufferLow());
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 1000));
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, -1));
            r.closeAndWait();
        });
    }

    @Test
    void blockingJavaDatagramSocketsOnAPlatformThreadTalkToAnEndpoint() {
        AsyncTesting.run(() -> {
            // a platform-thread echo server, our endpoint as the client
            try (DatagramSocket echo = new DatagramSocket(loopback())) {
                echo.setSoTimeout(10_000);
                CompletableFuture<List<String>> served = new CompletableFuture<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        List<String> got = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                            echo.receive(p);
                            got.add(new String(p.getData(), 0, p.getLength(), UTF_8));
                            echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                        }
                        served.complete(got);
                    } catch (IOException e) {
                        served.completeExceptionally(e);
                    }
                });
                Recorder client = new Recorder();
                DatagramTransport ct = open(client, loopback(), null);
                for (int i = 0; i < 3; i++) {
                    ct.sendto(("m" + i).getBytes(UTF_8), echo.getLocalSocketAddress());
                }
                assertEquals(List.of("m0", "m1", "m2"), await(served));
                eventually(() -> client.received.size() == 3);
                assertEquals(List.of("m0", "m1", "m2"), client.received);
                assertEquals(List.of(echo.getLocalSocketAddress(), echo.getLocalSocketAddress(),
                        echo.getLocalSocketAddress()), client.senders);
                client.closeAndWait();
            }
            // our endpoint as the echo server, a platform-thread client
            Recorder server = new Recorder(true);
            DatagramTransport st = open(server, loopback(), null);
            SocketAddress serverAddress = sockname(st);
            CompletableFuture<List<String>> replies = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (DatagramSocket c = new DatagramSocket(loopback())) {
                    c.setSoTimeout(10_000);
                    List<String> got = new ArrayList<>();
                    for (String s : List.of("ping", "", "pong")) {
                        byte[] b = s.getBytes(UTF_8);
                        c.send(new DatagramPacket(b, b.length, serverAddress));
                        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                        c.receive(p);
                        if (!p.getSocketAddress().equals(serverAddress)) {
                            throw new IOException("reply from " + p.getSocketAddress());
                        }
                        got.add(new String(p.getData(), 0, p.getLength(), UTF_8));
                    }
                    replies.complete(got);
                } catch (IOException e) {
                    replies.completeExceptionally(e);
                }
            });
            assertEquals(List.of("ping", "", "pong"), await(replies));
            server.closeAndWait();
        });
    }
}
