package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.ExtraInfo;
import java.time.Duration;

/** Helpers for the stream, transport and socket tests: loopback only, every wait bounded. */
final class NetTesting {
    private NetTesting() {
    }

    static final String HOST = "127.0.0.1";

    /** {@return whether this machine can bind the IPv6 loopback address} */
    public static boolean ipv6Loopback() {
        try (java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.INET6)) {
            ch.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** {@return the port a server listens on} */
    static int port(Server s) {
        return s.port();
    }

    /** {@return a loopback port nothing listens on (one the system just gave out and took back)} */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@return the channel under a stream writer} */
    static SocketChannel channel(StreamWriter w) {
        return (SocketChannel) w.getExtraInfo(ExtraInfo.SOCKET);
    }

    /** {@return the channel under a transport} */
    static SocketChannel channel(Transport t) {
        return (SocketChannel) t.getExtraInfo(ExtraInfo.SOCKET);
    }

    /**
     * Shrinks the kernel's send buffer, so that a peer that does not read fills the connection
     * after a few hundred kilobytes instead of megabytes. (Not the receive buffer: shrinking it on
     * an established connection makes the sender fall back to slow zero-window probes.)
     */
    static void smallKernelBuffers(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return how many file descriptors this process has open (Linux)} */
    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Suspends until the condition holds; fails after {@code millis}. */
    static void eventually(long millis, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            sleep(Duration.ofMillis(5));
        }
    }

    /**
     * Waits, in a server handler, for the test's signal; gives up after 5 s, so that a test that
     * failed before signalling does not hang closing its server (the failure is reported instead).
     */
    static void awaitSignal(io.asyncio4j.Future<Void> signal) {
        try {
            io.asyncio4j.Asyncio.waitFor(io.asyncio4j.Asyncio.shield(signal), java.time.Duration.ofSeconds(5));
        } catch (io.asyncio4j.TimeoutError e) {
            // go on: the test failed already
        }
    }

    /**
     * Starts a stream server whose handler shrinks its send buffer, waits for {@code go} (when not
     * null), then reads to the end into {@code received} and closes.
     */
    static Server sink(io.asyncio4j.Future<Void> go, java.io.ByteArrayOutputStream received) throws IOException {
        return Streams.startServer((r, w) -> {
            smallKernelBuffers(channel(w));
            if (go != null) {
                awaitSignal(go);
            }
            while (true) {
                byte[] b = r.read(64 * 1024);
                if (b.length == 0) {
                    break;
                }
                received.writeBytes(b);
            }
            w.close();
        }, HOST, 0);
    }

    /**
     * A listener that never accepts, whose accept queue is full: the kernel drops further SYNs,
     * so a connection attempt neither succeeds nor fails until its timeout.
     */
    static final class FullBacklog implements AutoCloseable {
        final ServerSocket listener;
        final List<Socket> fillers = new ArrayList<>();

        FullBacklog() throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                try {
                    s.connect(a, 200);
                    fillers.add(s);
                } catch (SocketTimeoutException full) {
                    s.close();
                    return;
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            listener.close();
        }
    }

    /** Bytes 0..n-1 of a recognisable pattern, so that lost or reordered bytes show. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A transport that only records what a reader asks of it (flow control), for readers fed by
     * hand.
     */
    static final class RecordingTransport implements Transport {
        final List<String> calls = new ArrayList<>();
        boolean reading = true;

        @Override
        public void write(ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void writeEof() {
        }

        @Override
        public boolean canWriteEof() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public void pauseReading() {
            calls.add("pause");
            reading = false;
        }

        @Override
        public void resumeReading() {
            calls.add("resume");
            reading = true;
        }

        @Override
        public boolean isReading() {
            return reading;
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
        }

        @Override
        public int getWriteBufferHigh() {
            return 0;
        }

        @Override
        public int getWriteBufferLow() {
            return 0;
        }

        @Override
        public <T> T getExtraInfo(ExtraInfo<T> key) {
            return null;
        }

        @Override
        public Protocol getProtocol() {
            return null;
        }

        @Override
        public void setProtocol(Protocol protocol) {
        }
    }

    /** A protocol that records its events as strings, in order. */
    static class RecordingProtocol implements Protocol {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        Transport transport;
        Throwable lostWith;
        int lostCount;
        boolean keepOpenOnEof;
        long bufferAtResume = -1;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.writeBytes(b);
            if (events.isEmpty() || !events.getLast().equals("data")) {
                events.add("data");
            }
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable error) {
            lostCount++;
            lostWith = error;
            events.add(error == null ? "lost" : "lost:" + error.getClass().getSimpleName());
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            bufferAtResume = transport.getWriteBufferSize();
            events.add("resume");
        }
    }
}
