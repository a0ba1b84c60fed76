package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transports.sendfile: asyncio's loop.sendfile, zero-copy over TCP and read-and-write over TLS. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendfileTest {
    private Path file;
    private byte[] content;

    @BeforeEach
    void makeFile() throws IOException {
        content = pattern(3 * 1024 * 1024 + 17);
        file = Files.createTempFile("sendfile", ".bin");
        Files.write(file, content);
    }

    @AfterEach
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** A server whose protocol hands its transport to the test. */
    private static Server serverHandingOver(Future<Transport> accepted, ServerOptions options) throws IOException {
        return Transports.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport t) {
                if (!accepted.isDone()) {
                    accepted.setResult(t);
                }
            }
        }, HOST, 0, options);
    }

    @Test
    void sendsTheRegionOverPlainTcpAndLeavesThePositionAfterIt() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                assertInstanceOf(io.asyncio4j.internal.net.TcpTransport.class, t);
                int offset = 1000;
                int count = 2 * 1024 * 1024 + 5;
                Task<byte[]> reader = createTask(() -> c.reader().readExactly(count));
                try (FileChannel f = FileChannel.open(file)) {
                    long sent = Transports.sendfile(t, f, offset, count);
                    assertEquals(count, sent);
                    assertEquals(offset + count, f.position());
                }
                assertArrayEquals(Arrays.copyOfRange(content, offset, offset + count), await(reader));
                assertTrue(t.isReading(), "reading resumes after the transfer");
                t.close();
                c.close();
            }
        });
    }

    @Test
    void countMinusOneSendsToTheEndAndACountPastTheEndStopsThere() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                int offset = content.length - 1000;
                try (FileChannel f = FileChannel.open(file)) {
                    assertEquals(1000, Transports.sendfile(t, f, offset, -1));
                    assertEquals(500, Transports.sendfile(t, f, content.length - 500, 10_000));
                    assertEquals(0, Transports.sendfile(t, f, content.length, 10));
                }
                byte[] got = c.reader().readExactly(1500);
                assertArrayEquals(Arrays.copyOfRange(content, offset, content.length), Arrays.copyOf(got, 1000));
                assertArrayEquals(Arrays.copyOfRange(content, content.length - 500, content.length),
                        Arrays.copyOfRange(got, 1000, 1500));
                t.close();
                c.close();
            }
        });
    }

    @Test
    void bytesWrittenBeforeGoFirst() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                NetTesting.smallKernelBuffers(NetTesting.channel(t));
                byte[] prefix = pattern(512 * 1024); // more than the socket takes at once: some is buffered
                t.write(prefix);
                Task<byte[]> reader = createTask(() -> c.reader().readExactly(prefix.length + 4096));
                try (FileChannel f = FileChannel.open(file)) {
                    Transports.sendfile(t, f, 0, 4096);
                }
                byte[] got = await(reader);
                assertArrayEquals(prefix, Arrays.copyOf(got, prefix.length));
                assertArrayEquals(Arrays.copyOf(content, 4096), Arrays.copyOfRange(got, prefix.length, got.length));
                t.close();
                c.close();
            }
        });
    }

    @Test
    void suspendsWhileTheSocketIsFullRefusesWritesAndACancellationLeavesTheTransportUsable() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                NetTesting.smallKernelBuffers(NetTesting.channel(t));
                try (FileChannel f = FileChannel.open(file)) {
                    Task<Long> send = createTask(() -> Transports.sendfile(t, f, 0, -1));
                    sleep(java.time.Duration.ofMillis(300)); // nobody reads: the socket fills up
                    assertFalse(send.isDone(), "the transfer waits for the socket");
                    assertFalse(t.isReading(), "reading is paused during the transfer");
                    IllegalStateException refused = assertThrows(IllegalStateException.class,
                            () -> t.write(bytes("x")));
                    assertTrue(refused.getMessage().contains("sendfile is in progress"), refused.getMessage());
                    send.cancel();
                    assertThrows(CancelledError.class, () -> await(send));
                    long pos = f.position();
                    assertTrue(pos > 0 && pos < content.length, "part of the file was sent: " + pos);
                    assertFalse(t.isClosing());
                    assertTrue(t.isReading(), "reading resumes after a cancelled transfer");
                    t.write(bytes("after")); // usable again
                    byte[] got = c.reader().readExactly((int) pos + 5);
                    assertArrayEquals(Arrays.copyOf(content, (int) pos), Arrays.copyOf(got, (int) pos));
                    assertEquals("after", NetTesting.text(Arrays.copyOfRange(got, (int) pos, got.length)));
                }
                t.close();
                c.close();
            }
        });
    }

    @Test
    void aTransferThatResumesWhenThePeerReadsCompletes() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                NetTesting.smallKernelBuffers(NetTesting.channel(t));
                try (FileChannel f = FileChannel.open(file)) {
                    Task<Long> send = createTask(() -> Transports.sendfile(t, f, 0, -1));
                    sleep(java.time.Duration.ofMillis(200));
                    assertFalse(send.isDone());
                    byte[] got = c.reader().readExactly(content.length);
                    assertEquals(content.length, await(send));
                    assertArrayEquals(content, got);
                }
                t.close();
                c.close();
            }
        });
    }

    @Test
    void overTlsTheFileIsReadAndWrittenAndTheProtocolIsRestored() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            ServerOptions tls = ServerOptions.defaults().withSsl(TestCertificates.get().serverContext());
            try (Server server = serverHandingOver(accepted, tls)) {
                Streams.Connection c = Streams.openConnection("localhost", server.port(),
                        ConnectOptions.defaults().withSsl(TestCertificates.get().clientContext()));
                Transport t = await(accepted);
                assertFalse(t instanceof io.asyncio4j.internal.net.TcpTransport, "a TLS transport");
                Protocol original = t.getProtocol();
                Task<byte[]> reader = createTask(() -> c.reader().readExactly(content.length - 10));
                try (FileChannel f = FileChannel.open(file)) {
                    assertEquals(content.length - 10, Transports.sendfile(t, f, 10, -1));
                    assertEquals(content.length, f.position());
                }
                assertArrayEquals(Arrays.copyOfRange(content, 10, content.length), await(reader));
                assertSame(original, t.getProtocol());
                t.write(bytes("ok")); // writes are allowed again
                assertEquals("ok", NetTesting.text(c.reader().readExactly(2)));
                t.close();
                c.close();
            }
        });
    }

    @Test
    void aClosedTransportOrABadOffsetIsRefused() {
        AsyncTesting.run(() -> {
            Future<Transport> accepted = createFuture();
            try (Server server = serverHandingOver(accepted, ServerOptions.defaults())) {
                Streams.Connection c = Streams.openConnection(HOST, server.port());
                Transport t = await(accepted);
                try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                    assertThrows(IllegalArgumentException.class, () -> Transports.sendfile(t, f, -1, 10));
                    assertThrows(IllegalArgumentException.class, () -> Transports.sendfile(t, f, 0, -2));
                    t.close();
                    assertThrows(IllegalStateException.class, () -> Transports.sendfile(t, f, 0, 10));
                }
                c.close();
            }
        });
    }
}
