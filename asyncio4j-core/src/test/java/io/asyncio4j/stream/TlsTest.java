package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static io.asyncio4j.Asyncio.waitFor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Future;
import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.transport.ExtraInfo;

/**
 * TLS over streams: our client and server with each other and with OpenSSL (a peer nobody here
 * wrote), certificate and host name checks, SNI, ALPN, STARTTLS, close_notify, and failures
 * that must surface at the right call without leaking a connection.
 */
@Timeout(value = 15, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTest {
    private static final Duration SHORT = Duration.ofSeconds(5);

    private static TestCertificates certs() {
        return TestCertificates.get();
    }

    private static ConnectOptions tls() {
        return ConnectOptions.defaults().withSsl(certs().clientContext());
    }

    private static ServerOptions tlsServer() {
        return ServerOptions.defaults().withSsl(certs().serverContext());
    }

    private static int port(Server s) {
        return s.port();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, UTF_8);
    }

    /** Remembers the server's handler tasks, so that a test can wait until they are all done. */
    private static final class Handlers {
        private final List<Task<?>> tasks = new ArrayList<>();

        Streams.ClientHandler wrap(Streams.ClientHandler h) {
            return (r, w) -> {
                tasks.add(Asyncio.currentTask());
                h.handle(r, w);
            };
        }

        int count() {
            return tasks.size();
        }

        void awaitAll() {
            for (Task<?> t : List.copyOf(tasks)) {
                waitFor(t, SHORT);
            }
        }
    }

    /** Stops the server and waits for its connections to go: a leaked one fails here. */
    private static void closeServer(Server server) {
        server.stopListening();
        waitFor(() -> {
            server.waitClosed();
            return null;
        }, SHORT);
    }

    /** {@return how many sockets this process has open, or -1 where /proc is missing} */
    private static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false; // the directory stream's own descriptor, say
                }
            }).count();
        }
    }

    /** Waits until a condition holds, checking every few milliseconds; fails after a while. */
    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            sleep(Duration.ofMillis(10));
        }
    }

    private static void assertNoSocketLeft(long before) {
        if (before >= 0) {
            eventually("the socket count is back to " + before, () -> {
                try {
                    return openSockets() == before;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aResetByThePeerAfterTheHandshakeIsASocketExceptionAsOverPlainTcp() throws Exception {
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().start(() -> {
                try (java.net.Socket plain = peer.accept()) {
                    // TLS over a socket of our own, so that the reset below comes without close_notify
                    javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) certs().serverContext().getSocketFactory()
                            .createSocket(plain, null, plain.getPort(), false);
                    s.setUseClientMode(false);
                    s.startHandshake();
                    s.getInputStream().read(); // the client is connected and wrote
                    s.getOutputStream().write(bytes("some"));
                    s.getOutputStream().flush();
                    plain.setSoLinger(true, 0); // close with a reset
                } catch (IOException ignored) {
                    // the test fails on its side
                }
            });
            AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection("127.0.0.1", peer.getLocalPort(), tls());
                c.writer().write(bytes("!"));
                IOException e = assertThrows(IOException.class, () -> {
                    while (true) {
                        if (c.reader().read(100).length == 0) {
                            return; // a clean end of stream would fail the test
                        }
                    }
                });
                assertInstanceOf(java.net.SocketException.class, e, e.toString());
            });
            t.join();
        }
    }

    @Test
    void aResetMetWhileWritingOverTlsIsASocketExceptionToo() throws Exception {
        AsyncTesting.run(() -> {
            Future<Throwable> seen = createFuture();
            Server server = Streams.startServer((r, w) -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (true) {
                        w.write(chunk);
                        w.drain();
                    }
                } catch (IOException e) {
                    seen.setResult(e);
                }
            }, "127.0.0.1", 0, tlsServer());
            int port = port(server);
            toThread(() -> {
                try (java.net.Socket plain = new java.net.Socket("127.0.0.1", port)) {
                    javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) certs().clientContext().getSocketFactory()
                            .createSocket(plain, "localhost", port, false);
                    s.startHandshake();
                    s.getInputStream().read(new byte[1000]);
                    plain.setSoLinger(true, 0); // a reset while the server writes
                }
                return null;
            });
            Throwable e = waitFor(seen, SHORT);
            assertInstanceOf(java.net.SocketException.class, e, e.toString());
            closeServer(server);
        });
    }

    // ------------------------------------------------------------------ our client, our server

    @Test
    void aClientAndAServerTalkOverTlsAndSeeTheSession() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<Object> serverPeerCert = new AtomicReference<>("unset");
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                serverPeerCert.set(w.getExtraInfo(ExtraInfo.PEERCERT));
                for (byte[] line : r) {
                    w.write(bytes(str(line).toUpperCase()));
                    w.drain();
                }
                w.close();
            }), "127.0.0.1", 0, tlsServer());
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), tls());
            for (String s : List.of("hello\n", "tls world\n")) {
                c.writer().write(bytes(s));
                c.writer().drain();
                assertEquals(s.toUpperCase(), str(c.reader().readLine()));
            }
            SSLSession session = assertInstanceOf(SSLSession.class, c.writer().getExtraInfo(ExtraInfo.SSL_OBJECT));
            assertEquals("TLSv1.3", session.getProtocol());
            assertEquals(session.getCipherSuite(), c.writer().getExtraInfo(ExtraInfo.CIPHER));
            List<Certificate> chain = c.writer().getExtraInfo(ExtraInfo.PEERCERT);
            assertEquals("CN=localhost", ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName());
            assertNotNull(c.writer().getExtraInfo(ExtraInfo.PEERNAME));
            assertFalse(c.writer().canWriteEof());
            assertThrows(UnsupportedOperationException.class, () -> c.writer().writeEof());
            c.close();
            handlers.awaitAll();
            closeServer(server);
            assertNull(serverPeerCert.get(), "the client sent no certificate");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void megabytesCrossBothWaysIntactUnderFlowControl(String version) {
        int size = 4 * 1024 * 1024;
        byte[] payload = new byte[size];
        new Random(42).nextBytes(payload);
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<String> serverProtocol = new AtomicReference<>();
            // a small reader limit on the server: its reading pauses and resumes all along
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                serverProtocol.set((w.getExtraInfo(ExtraInfo.SSL_OBJECT)).getProtocol());
                byte[] chunk;
                while ((chunk = r.read(50_000)).length > 0) {
                    w.write(chunk);
                    w.drain();
                }
                w.close();
            }), "127.0.0.1", 0, tlsServer().withLimit(16 * 1024));
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server),
                    ConnectOptions.defaults().withSsl(certs().clientContext(version)));
            Task<Void> sender = createTask(() -> {
                Random sizes = new Random(7);
                int off = 0;
                while (off < size) {
                    // odd sizes, from a few bytes to several records, so writes straddle records
                    int n = Math.min(size - off, 1 + sizes.nextInt(70_000));
                    c.writer().write(ByteBuffer.wrap(payload, off, n));
                    c.writer().drain();
                    off += n;
                }
            });
            byte[] echoed = c.reader().readExactly(size);
            Asyncio.await(sender);
            assertTrue(Arrays.equals(payload, echoed), "the echo differs from what was sent");
            assertEquals(version, (c.writer().getExtraInfo(ExtraInfo.SSL_OBJECT)).getProtocol());
            c.close();
            handlers.awaitAll();
            closeServer(server);
            assertEquals(version, serverProtocol.get());
        });
    }

    @Test
    void aServerPushingMegabytesToASlowReaderWaitsInDrain() {
        int size = 8 * 1024 * 1024; // twice what loopback's socket buffers hold (about 4 MiB here)
        byte[] payload = new byte[size];
        new Random(3).nextBytes(payload);
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<Long> mostBuffered = new AtomicReference<>(0L);
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                for (int off = 0; off < size; off += 100_000) {
                    w.write(ByteBuffer.wrap(payload, off, Math.min(100_000, size - off)));
                    mostBuffered.set(Math.max(mostBuffered.get(), w.transport().getWriteBufferSize()));
                    w.drain();
                }
                w.close();
            }), "127.0.0.1", 0, tlsServer());
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server),
                    tls().withLimit(8 * 1024));
            sleep(Duration.ofMillis(200)); // the server fills the sockets and its buffer, then waits in drain()
            byte[] got = c.reader().readExactly(size);
            assertArrayEquals(new byte[0], c.reader().read(), "close_notify ends the stream");
            assertTrue(Arrays.equals(payload, got), "the data differs from what was sent");
            // above the high water mark, so drain() had to wait; never much more than one write
            // beyond the low mark, so it waited long enough: the buffer stays bounded
            assertTrue(mostBuffered.get() > 64 * 1024, "the writer never got ahead of the reader: "
                    + mostBuffered.get());
            assertTrue(mostBuffered.get() < 256 * 1024, "drain() let the buffer grow to " + mostBuffered.get());
            c.close();
            handlers.awaitAll();
            closeServer(server);
        });
    }

    @Test
    void aProtocolServerEchoesOverTls() {
        AsyncTesting.run(() -> {
            Server server = Transports.createServer(() -> new Protocol() {
                private Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    t = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    t.write(data);
                }
            }, "127.0.0.1", 0, tlsServer());
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), tls());
            c.writer().write(bytes("ping"));
            assertEquals("ping", str(c.reader().readExactly(4)));
            c.close();
            closeServer(server);
        });
    }

    // ------------------------------------------------------------------ verification and failures

    @Test
    void theClientRejectsAServerItDoesNotTrustAndLeaksNoSocket() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            long before = openSockets();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0,
                    ServerOptions.defaults().withSsl(certs().untrustedServerContext()));
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> Streams.openConnection("127.0.0.1", port(server), tls()));
            assertTrue(String.valueOf(e.getMessage()).contains("PKIX"), e.toString());
            closeServer(server); // the server's side of the connection went too (or this times out)
            assertNoSocketLeft(before);
            assertEquals(0, handlers.count(), "no handler runs for a failed handshake");
        });
    }

    @Test
    void theClientRejectsACertificateForAnotherHostName() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            long before = openSockets();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0, tlsServer());
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> Streams.openConnection("127.0.0.1", port(server), tls().withServerHostname("wrong.example")));
            assertTrue(String.valueOf(e.getMessage()).contains("wrong.example"), e.toString());
            closeServer(server);
            assertNoSocketLeft(before);
            assertEquals(0, handlers.count());
        });
    }

    @Test
    void theClientAcceptsTheCertificateForTheHostNameItNames() {
        AsyncTesting.run(() -> {
            Server server = Streams.startServer((r, w) -> {
                w.write(bytes("hi\n"));
                w.close();
            }, "127.0.0.1", 0, tlsServer());
            // by IP address (the certificate's ip:127.0.0.1) and by name (dns:localhost)
            for (ConnectOptions o : List.of(tls(), tls().withServerHostname("localhost"))) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), o);
                assertEquals("hi\n", str(c.reader().readLine()));
                assertArrayEquals(new byte[0], c.reader().read());
                c.close();
            }
            closeServer(server);
        });
    }

    @Test
    void aPlainTextClientGetsNoHandlerAndIsDisconnected() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0, tlsServer());
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
            c.writer().write(bytes("GET / HTTP/1.0\r\n\r\n"));
            // the server answers with an alert, or nothing, and hangs up
            waitFor(() -> {
                try {
                    while (c.reader().read().length > 0) {
                        // the alert's bytes
                    }
                } catch (IOException reset) {
                    // a reset is fine too
                }
                return null;
            }, SHORT);
            c.writer().close();
            closeServer(server);
            assertEquals(0, handlers.count());
        });
    }

    @Test
    void aServerAbortsAClientThatNeverSendsAClientHello() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            ServerOptions o = tlsServer();
            o = o.withSslHandshakeTimeout(Duration.ofMillis(200));
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                w.write(r.readLine());
                w.close();
            }), "127.0.0.1", 0, o);
            long start = System.nanoTime();
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server)); // plain, silent
            String got = waitFor(() -> {
                try {
                    return c.reader().read().length == 0 ? "eof" : "data";
                } catch (IOException reset) {
                    return "error";
                }
            }, SHORT);
            assertTrue(got.equals("eof") || got.equals("error"), "the server hangs up without a word: " + got);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 150, "aborted after " + elapsedMs + " ms, before the timeout");
            c.writer().close();
            assertEquals(0, handlers.count());

            // a connection whose handshake finished in time is not touched by that timer later
            Streams.Connection ok = Streams.openConnection("127.0.0.1", port(server), tls());
            sleep(Duration.ofMillis(400));
            ok.writer().write(bytes("still here\n"));
            assertEquals("still here\n", str(ok.reader().readLine()));
            ok.close();
            handlers.awaitAll();
            closeServer(server);
            assertEquals(1, handlers.count());
        });
    }

    @Test
    void aForgedRecordAfterTheHandshakeFailsTheServersReaderWithoutAReport() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<Object> serverSaw = new AtomicReference<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                w.write(r.readLine());
                try {
                    serverSaw.set(r.read());
                } catch (SSLException e) {
                    serverSaw.set(e);
                }
            }), "127.0.0.1", 0, tlsServer());
            int port = port(server);
            // the JDK's blocking client, in a thread: after a line each way, bytes that look like
            // an application data record but were never encrypted with the session's keys
            toThread(() -> {
                try (java.net.Socket plain = new java.net.Socket("127.0.0.1", port);
                     javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) certs().clientContext().getSocketFactory()
                             .createSocket(plain, "localhost", port, false)) {
                    tls.getOutputStream().write(bytes("hi\n"));
                    assertEquals("hi", new BufferedReader(new InputStreamReader(tls.getInputStream(), UTF_8))
                            .readLine());
                    byte[] forged = new byte[5 + 32];
                    forged[0] = 23; // application_data
                    forged[1] = 3;
                    forged[2] = 3;
                    forged[4] = 32;
                    plain.getOutputStream().write(forged);
                    plain.getOutputStream().flush();
                    plain.setSoTimeout(5000);
                    while (plain.getInputStream().read() >= 0) {
                        // the server's alert, if any, then its hang-up
                    }
                } catch (java.net.SocketException reset) {
                    // the server aborted: fine
                }
                return null;
            });
            handlers.awaitAll();
            closeServer(server);
            assertInstanceOf(SSLException.class, serverSaw.get());
        });
    }

    @Test
    void aClientHandshakeCutShortByATimeoutClosesItsSocket() {
        AsyncTesting.run(() -> {
            long before = openSockets();
            // a plain server that accepts and never answers the ClientHello
            Server server = Streams.startServer((r, w) -> {
                try {
                    r.read(-1);
                } catch (IOException gone) {
                    // the client went
                }
                w.close();
            }, "127.0.0.1", 0);
            assertThrows(io.asyncio4j.TimeoutError.class, () -> {
                try (var t = Asyncio.timeout(Duration.ofMillis(200))) {
                    Streams.openConnection("127.0.0.1", port(server), tls());
                }
            });
            closeServer(server); // the server saw the client hang up (or this times out)
            assertNoSocketLeft(before);
        });
    }

    @Test
    void aClientHandshakeLongerThanItsTimeoutFailsAndClosesItsSocket() {
        AsyncTesting.run(() -> {
            long before = openSockets();
            Server server = Streams.startServer((r, w) -> {
                try {
                    r.read(-1);
                } catch (IOException gone) {
                    // the client went
                }
                w.close();
            }, "127.0.0.1", 0);
            long start = System.nanoTime();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> Streams.openConnection(
                    "127.0.0.1", port(server), tls().withSslHandshakeTimeout(Duration.ofMillis(200))));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("taking longer"), e.getMessage());
            assertTrue(tookMs >= 190 && tookMs < 5_000, "gave up after " + tookMs + " ms");
            closeServer(server);
            assertNoSocketLeft(before);
        });
    }

    @Test
    void manyTlsClientsAreServedConcurrently() {
        int n = 20;
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                w.write(r.readLine());
                w.close();
            }), "127.0.0.1", 0, tlsServer());
            List<Task<String>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String msg = "client " + i + "\n";
                clients.add(createTask(() -> {
                    Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), tls());
                    c.writer().write(bytes(msg));
                    String got = str(c.reader().read(-1));
                    c.close();
                    return got;
                }));
            }
            for (int i = 0; i < n; i++) {
                assertEquals("client " + i + "\n", Asyncio.await(clients.get(i)));
            }
            handlers.awaitAll();
            closeServer(server);
            assertEquals(n, handlers.count());
        });
    }

    @Test
    void tlsRunsOverUnixDomainSocketsWithANameToVerify() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-tls-unix");
        Path path = dir.resolve("s.sock");
        try {
            AsyncTesting.run(() -> {
                Handlers handlers = new Handlers();
                Server server = Streams.startUnixServer(handlers.wrap((r, w) -> {
                    w.write(r.readLine());
                    w.close();
                }), path, tlsServer());
                long before = openSockets();
                // no host name to check the certificate against: refused before any handshake
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Streams.openUnixConnection(path, tls()));
                assertTrue(e.getMessage().contains("withServerHostname"), e.getMessage());
                Streams.Connection c = Streams.openUnixConnection(path, tls().withServerHostname("localhost"));
                c.writer().write(bytes("over a unix socket\n"));
                assertEquals("over a unix socket\n", str(c.reader().read(-1)));
                c.close();
                handlers.awaitAll();
                closeServer(server); // the refused connection is gone on the server's side too
                assertNoSocketLeft(before - 1); // and so is the listening socket
                assertEquals(1, handlers.count(), "a handler for the verified connection only");
            });
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    // ------------------------------------------------------------------ SNI and ALPN

    @Test
    void theServerSeesTheServerNameTheClientAskedFor() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            List<List<SNIServerName>> seen = new ArrayList<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                ExtendedSSLSession s = assertInstanceOf(ExtendedSSLSession.class, w.getExtraInfo(ExtraInfo.SSL_OBJECT));
                seen.add(s.getRequestedServerNames());
                w.write(bytes("ok\n"));
                w.close();
            }), "127.0.0.1", 0, tlsServer());
            for (ConnectOptions o : List.of(tls().withServerHostname("localhost"), tls())) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), o);
                assertEquals("ok\n", str(c.reader().readLine()));
                c.close();
            }
            handlers.awaitAll();
            closeServer(server);
            // an address literal is never sent as a server name (RFC 6066)
            assertEquals(List.of(List.of(new SNIHostName("localhost")), List.of()), seen);
        });
    }

    @Test
    void alpnNegotiatesAProtocolBothSidesSee() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            List<Object> serverSaw = new ArrayList<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                serverSaw.add(w.getExtraInfo(ExtraInfo.ALPN_PROTOCOL));
                w.write(bytes("ok\n"));
                w.close();
            }), "127.0.0.1", 0, tlsServer().withAlpnProtocols(List.of("h2", "http/1.1")));
            List<Object> clientSaw = new ArrayList<>();
            for (List<String> offer : List.of(List.of("x-unknown", "http/1.1"), List.of("h2"), List.<String>of())) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port(server), tls().withAlpnProtocols(offer));
                assertEquals("ok\n", str(c.reader().readLine()));
                clientSaw.add(c.writer().getExtraInfo(ExtraInfo.ALPN_PROTOCOL));
                c.close();
            }
            handlers.awaitAll();
            closeServer(server);
            assertEquals(Arrays.asList("http/1.1", "h2", null), clientSaw);
            assertEquals(clientSaw, serverSaw);
        });
    }

    @Test
    void alpnWithoutACommonProtocolFailsTheHandshakeWithTheServersAlert() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            long before = openSockets();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0,
                    tlsServer().withAlpnProtocols(List.of("h2")));
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> Streams.openConnection("127.0.0.1", port(server), tls().withAlpnProtocols(List.of("imap"))));
            assertTrue(String.valueOf(e.getMessage()).contains("no_application_protocol"), e.toString());
            closeServer(server);
            assertNoSocketLeft(before);
            assertEquals(0, handlers.count());
        });
    }

    // ------------------------------------------------------------------ STARTTLS

    @Test
    void startTlsUpgradesAPlainConnectionOnBothSides() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<Object> serverSession = new AtomicReference<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                assertEquals("STARTTLS\n", str(r.readLine()));
                assertNull(w.getExtraInfo(ExtraInfo.SSL_OBJECT));
                w.write(bytes("GO AHEAD\n"));
                w.startTlsServerSide(certs().serverContext());
                serverSession.set(w.getExtraInfo(ExtraInfo.SSL_OBJECT));
                for (byte[] line : r) {
                    w.write(bytes("secret " + str(line)));
                    w.drain();
                }
                w.close();
            }), "127.0.0.1", 0); // a plain server
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
            c.writer().write(bytes("STARTTLS\n"));
            assertEquals("GO AHEAD\n", str(c.reader().readLine()));
            c.writer().startTls(certs().clientContext(), "localhost");
            assertInstanceOf(SSLSession.class, c.writer().getExtraInfo(ExtraInfo.SSL_OBJECT));
            for (String s : List.of("one\n", "two\n")) {
                c.writer().write(bytes(s));
                c.writer().drain();
                assertEquals("secret " + s, str(c.reader().readLine()));
            }
            c.close();
            handlers.awaitAll();
            closeServer(server);
            assertInstanceOf(SSLSession.class, serverSession.get());
        });
    }

    @Test
    void startTlsToAnUntrustedServerFailsAndClosesTheConnection() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            AtomicReference<Throwable> serverError = new AtomicReference<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                r.readLine();
                w.write(bytes("GO AHEAD\n"));
                try {
                    w.startTlsServerSide(certs().untrustedServerContext());
                } catch (SSLException expected) {
                    serverError.set(expected);
                }
            }), "127.0.0.1", 0);
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
            c.writer().write(bytes("STARTTLS\n"));
            assertEquals("GO AHEAD\n", str(c.reader().readLine()));
            assertThrows(SSLHandshakeException.class, () -> c.writer().startTls(certs().clientContext(), "localhost"));
            assertTrue(c.writer().isClosing());
            Throwable closedWith = waitFor(() -> {
                try {
                    c.writer().waitClosed();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            }, SHORT);
            assertInstanceOf(SSLHandshakeException.class, closedWith, "the connection ends with the handshake's error");
            assertThrows(SSLHandshakeException.class, () -> c.reader().read());
            handlers.awaitAll();
            closeServer(server);
            assertInstanceOf(SSLHandshakeException.class, serverError.get());
        });
    }

    // ------------------------------------------------------------------ closing

    @Test
    void aCleanCloseIsEndOfFileOnTheOtherSide() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            List<String> serverSaw = new ArrayList<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                String first = str(r.readLine());
                serverSaw.add(first);
                if (first.equals("you close\n")) {
                    w.write(bytes("bye\n"));
                    w.close();
                    w.waitClosed();
                } else {
                    serverSaw.add(r.read().length == 0 ? "eof" : "data");
                    w.close();
                }
            }), "127.0.0.1", 0, tlsServer());

            // the client closes: the server reads the end of the stream, not an error
            Streams.Connection c1 = Streams.openConnection("127.0.0.1", port(server), tls());
            c1.writer().write(bytes("I close\n"));
            c1.close();

            // the server closes: the client reads the last line, then the end of the stream
            Streams.Connection c2 = Streams.openConnection("127.0.0.1", port(server), tls());
            c2.writer().write(bytes("you close\n"));
            assertEquals("bye\n", str(c2.reader().readLine()));
            assertArrayEquals(new byte[0], c2.reader().read());
            assertTrue(c2.reader().atEof());
            c2.close(); // no error: the connection ended cleanly

            handlers.awaitAll();
            closeServer(server);
            assertEquals(List.of("I close\n", "eof", "you close\n"), serverSaw);
        });
    }

    @Test
    void anAbortIsAnErrorOrEndOfFileOnTheOtherSideNeverAHang() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            List<String> serverSaw = new ArrayList<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                String first = str(r.readLine());
                if (first.equals("you abort\n")) {
                    w.write(bytes("aborting\n"));
                    w.drain();
                    sleep(Duration.ofMillis(50));
                    w.transport().abort();
                    return;
                }
                try {
                    serverSaw.add(r.read().length == 0 ? "eof" : "data");
                } catch (IOException e) {
                    serverSaw.add("error");
                }
                w.close();
            }), "127.0.0.1", 0, tlsServer());

            Streams.Connection c1 = Streams.openConnection("127.0.0.1", port(server), tls());
            c1.writer().write(bytes("I abort\n"));
            c1.writer().drain();
            sleep(Duration.ofMillis(50));
            c1.writer().transport().abort();

            Streams.Connection c2 = Streams.openConnection("127.0.0.1", port(server), tls());
            c2.writer().write(bytes("you abort\n"));
            assertEquals("aborting\n", str(c2.reader().readLine()));
            String clientSaw = waitFor(() -> {
                try {
                    return c2.reader().read().length == 0 ? "eof" : "data";
                } catch (IOException e) {
                    return "error";
                }
            }, SHORT);
            assertTrue(clientSaw.equals("eof") || clientSaw.equals("error"), clientSaw);
            c2.writer().close();

            handlers.awaitAll();
            closeServer(server);
            assertEquals(1, serverSaw.size());
            assertTrue(serverSaw.get(0).equals("eof") || serverSaw.get(0).equals("error"), serverSaw.toString());
        });
    }

    // ------------------------------------------------------------------ OpenSSL, a peer nobody here wrote

    private static boolean opensslPresent() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A child process whose output lines are collected by a thread of their own. */
    private static final class Child implements AutoCloseable {
        final Process process;
        private final StringBuilder out = new StringBuilder();
        private boolean ended; // guarded by out

        Child(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (out) {
                            out.append(line).append('\n');
                            out.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process went
                }
                synchronized (out) {
                    ended = true;
                    out.notifyAll();
                }
            }, "openssl-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Blocks until the output has a line starting with {@code prefix}; returns that line. */
        String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + SHORT.toNanos();
            synchronized (out) {
                while (true) {
                    for (String line : out.toString().split("\n")) {
                        if (line.startsWith(prefix)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || ended) {
                        throw new AssertionError("no line starting with '" + prefix + "' from " + process.info()
                                .commandLine().orElse("openssl") + "; its output:\n" + out);
                    }
                    TimeUnit.NANOSECONDS.timedWait(out, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }

        String output() {
            synchronized (out) {
                return out.toString();
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Child sServer(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0",
                "-cert", certs().serverChainPem().toString(), "-key", certs().serverKeyPem().toString(),
                "-naccept", "1"));
        cmd.addAll(List.of(options));
        return new Child(cmd);
    }

    private static int acceptPort(Child s) throws InterruptedException {
        String line = s.awaitLine("ACCEPT"); // "ACCEPT 127.0.0.1:40311"
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void ourClientGetsAPageFromOpensslSServer(String version) throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        try (Child s = sServer("-www", version, "-alpn", "http/1.1")) {
            int port = acceptPort(s);
            String page = AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port,
                        tls().withServerHostname("localhost").withAlpnProtocols(List.of("h2", "http/1.1")));
                assertEquals("http/1.1", c.writer().getExtraInfo(ExtraInfo.ALPN_PROTOCOL));
                c.writer().write(bytes("GET / HTTP/1.0\r\n\r\n"));
                String got = str(c.reader().read(-1)); // to the end: s_server closes after the page
                c.close();
                return got;
            });
            assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
            String expected = version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
            assertTrue(page.contains(expected), "the page does not mention " + expected + ":\n" + page);
        }
    }

    @Test
    void ourClientExchangesLinesWithOpensslSServer() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        try (Child s = sServer("-rev")) {
            int port = acceptPort(s);
            AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port,
                        tls().withServerHostname("localhost"));
                Random random = new Random(11);
                for (int i = 0; i < 20; i++) {
                    char[] line = new char[1 + random.nextInt(4000)];
                    for (int j = 0; j < line.length; j++) {
                        line[j] = (char) ('a' + random.nextInt(26));
                    }
                    String sent = new String(line);
                    c.writer().write(bytes(sent + "\n"));
                    c.writer().drain();
                    assertEquals(new StringBuilder(sent).reverse() + "\n", str(c.reader().readLine()));
                }
                c.writer().write(bytes("CLOSE\n")); // -rev's command to hang up
                waitFor(() -> {
                    while (c.reader().read().length > 0) {
                        // s_server's goodbye
                    }
                    return null;
                }, SHORT);
                c.close();
            });
        }
    }

    /**
     * s_server in its plain mode prints what it receives and sends what its stdin gets; lines
     * like "r" (renegotiate, TLS 1.2), "K" (key update, TLS 1.3) and "P" (plain text down the
     * raw socket) are commands instead.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void ourClientFollowsOpensslSServerThroughARehandshakeThenFailsOnGarbage(String version) throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        try (Child s = sServer(version)) {
            int port = acceptPort(s);
            OutputStream stdin = s.process.getOutputStream();
            AsyncTesting.run(() -> {
                Streams.Connection c = Streams.openConnection("127.0.0.1", port,
                        tls().withServerHostname("localhost"));
                c.writer().write(bytes("hello\n"));
                toThread(() -> s.awaitLine("hello"));
                // a renegotiation (1.2) or a key update that asks for ours (1.3), then data
                toThread(() -> {
                    stdin.write(bytes(version.equals("-tls1_2") ? "r\n" : "K\n"));
                    stdin.flush();
                    s.awaitLine("SSL_do_handshake -> 1"); // or s_server reads command and data in one go
                    stdin.write(bytes("from the server\n"));
                    stdin.flush();
                    return null;
                });
                c.writer().write(bytes("while it happens\n"));
                assertEquals("from the server\n", str(waitFor(() -> c.reader().readLine(), SHORT)));
                c.writer().write(bytes("after it\n"));
                toThread(() -> s.awaitLine("after it"));
                toThread(() -> s.awaitLine("while it happens"));
                // plain text in the middle of the TLS stream: the reader fails, nothing is reported
                toThread(() -> {
                    stdin.write(bytes("P\n"));
                    stdin.flush();
                    return null;
                });
                SSLException e = assertThrows(SSLException.class, () -> waitFor(() -> c.reader().read(), SHORT));
                assertTrue(c.writer().isClosing());
                assertThrows(SSLException.class, () -> c.writer().waitClosed(), e.toString());
                stdin.close();
            });

        }
    }

    @Test
    void opensslSClientTalksToOurServerThroughAKeyUpdate() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            List<Object> serverSaw = new ArrayList<>();
            Server server = Streams.startServer(handlers.wrap((r, w) -> {
                serverSaw.add(w.getExtraInfo(ExtraInfo.ALPN_PROTOCOL));
                serverSaw.add(((ExtendedSSLSession) w.getExtraInfo(ExtraInfo.SSL_OBJECT)).getRequestedServerNames());
                for (byte[] line : r) {
                    w.write(bytes("echo: " + str(line)));
                    w.drain();
                }
                serverSaw.add("eof");
                w.close();
            }), "127.0.0.1", 0, tlsServer().withAlpnProtocols(List.of("h2", "http/1.1")));
            // Not -quiet: its stdin commands stay on, so "K" asks for a TLS 1.3 key update; the
            // end of its stdin makes it send close_notify and exit.
            Child client = new Child(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port(server),
                    "-CAfile", certs().caPem().toString(), "-servername", "localhost",
                    "-verify_hostname", "localhost", "-verify_return_error", "-alpn", "http/1.1"));
            try (client) {
                int exit = toThread(() -> {
                    OutputStream stdin = client.process.getOutputStream();
                    stdin.write(bytes("hello\n"));
                    stdin.flush();
                    client.awaitLine("echo: hello");
                    stdin.write(bytes("K\n"));
                    stdin.flush();
                    client.awaitLine("KEYUPDATE"); // s_client reads a command and data in one go otherwise
                    stdin.write(bytes("after the update\n"));
                    stdin.flush();
                    client.awaitLine("echo: after the update");
                    stdin.close();
                    if (!client.process.waitFor(5, TimeUnit.SECONDS)) {
                        throw new AssertionError("s_client did not exit:\n" + client.output());
                    }
                    return client.process.exitValue();
                });
                assertEquals(0, exit, client.output());
                assertTrue(client.output().contains("KEYUPDATE"), client.output());
                assertTrue(client.output().contains("Verify return code: 0 (ok)"), client.output());
                handlers.awaitAll();
                closeServer(server);
                assertEquals(List.of("http/1.1", List.of(new SNIHostName("localhost")), "eof"), serverSaw);
            }
        });
    }

    @Test
    void opensslSClientRejectsOurServerWhenItDoesNotTrustTheCertificate() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0,
                    ServerOptions.defaults().withSsl(certs().untrustedServerContext()));
            Child client = new Child(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port(server),
                    "-CAfile", certs().caPem().toString(), "-servername", "localhost", "-verify_return_error"));
            try (client) {
                int exit = toThread(() -> {
                    client.process.getOutputStream().close();
                    if (!client.process.waitFor(5, TimeUnit.SECONDS)) {
                        throw new AssertionError("s_client did not exit:\n" + client.output());
                    }
                    return client.process.exitValue();
                });
                assertTrue(exit != 0, client.output());
                assertTrue(client.output().contains("verify error"), client.output());
                closeServer(server); // the failed connection is gone on our side too
                assertEquals(0, handlers.count());
            }
        });
    }

    @Test
    void aConnectionWithoutTlsHasNoSslObject() {
        AsyncTesting.run(() -> {
            Handlers handlers = new Handlers();
            Server server = Streams.startServer(handlers.wrap((r, w) -> w.close()), "127.0.0.1", 0);
            Streams.Connection c = Streams.openConnection("127.0.0.1", port(server));
            assertNull(c.writer().getExtraInfo(ExtraInfo.SSL_OBJECT));
            assertNull(c.writer().getExtraInfo(ExtraInfo.ALPN_PROTOCOL));
            assertArrayEquals(new byte[0], c.reader().read());
            c.close();
            handlers.awaitAll();
            closeServer(server);
            assertEquals(1, handlers.count());
        });
    }
}
