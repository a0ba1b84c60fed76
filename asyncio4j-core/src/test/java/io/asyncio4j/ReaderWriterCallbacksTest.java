package io.asyncio4j;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.ExtraInfo;
import java.time.Duration;

/** The loop's addReader/addWriter/removeReader/removeWriter: asyncio's add_reader and friends. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReaderWriterCallbacksTest {

    /** A pipe whose ends are non-blocking, closed at the end. */
    private static final class NonBlockingPipe implements AutoCloseable {
        final Pipe pipe;

        NonBlockingPipe() throws IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        }

        void send(String s) {
            try {
                pipe.sink().write(ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String drain() {
            ByteBuffer b = ByteBuffer.allocate(1024);
            try {
                pipe.source().read(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String(b.array(), 0, b.position(), java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void aReaderIsCalledWhenDataArrivesUntilItIsRemoved() {
        AsyncTesting.run(() -> {
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                List<String> got = new ArrayList<>();
                getRunningLoop().addReader(p.pipe.source(), () -> got.add(p.drain()));
                sleep(Duration.ofMillis(20));
                assertEquals(List.of(), got, "not called before data arrives");
                p.send("one");
                sleep(Duration.ofMillis(20));
                assertEquals(List.of("one"), got);
                assertTrue(getRunningLoop().removeReader(p.pipe.source()));
                p.send("two");
                sleep(Duration.ofMillis(20));
                assertEquals(List.of("one"), got, "not called once removed");
                assertFalse(getRunningLoop().removeReader(p.pipe.source()), "nothing left to remove");
            }
        });
    }

    @Test
    void aReaderThatLeavesTheDataIsCalledAgainOnEveryLoopIteration() {
        AsyncTesting.run(() -> {
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                int[] calls = {0};
                getRunningLoop().addReader(p.pipe.source(), () -> calls[0]++);
                p.send("x");
                for (int i = 0; i < 5; i++) {
                    sleep(Duration.ZERO);
                }
                assertTrue(calls[0] >= 3, "level-triggered, as a selector is: " + calls[0]);
                getRunningLoop().removeReader(p.pipe.source());
            }
        });
    }

    @Test
    void aWriterThatRemovesItselfIsCalledOnce() {
        AsyncTesting.run(() -> {
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                int[] calls = {0};
                getRunningLoop().addWriter(p.pipe.sink(), () -> {
                    calls[0]++;
                    p.send("hello");
                    getRunningLoop().removeWriter(p.pipe.sink());
                });
                sleep(Duration.ofMillis(20));
                assertEquals(1, calls[0]);
                assertEquals("hello", p.drain());
            }
        });
    }

    @Test
    void cancellingTheHandleRemovesTheReaderAndANewReaderReplacesTheOld() {
        AsyncTesting.run(() -> {
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                List<String> first = new ArrayList<>();
                List<String> second = new ArrayList<>();
                Handle h1 = getRunningLoop().addReader(p.pipe.source(), () -> first.add(p.drain()));
                Handle h2 = getRunningLoop().addReader(p.pipe.source(), () -> second.add(p.drain()));
                assertTrue(h1.isCancelled(), "the replaced reader's handle is cancelled");
                p.send("a");
                sleep(Duration.ofMillis(20));
                assertEquals(List.of(), first);
                assertEquals(List.of("a"), second);
                h2.cancel();
                p.send("b");
                sleep(Duration.ofMillis(20));
                assertEquals(List.of("a"), second, "a cancelled handle is not called");
                assertFalse(getRunningLoop().removeReader(p.pipe.source()), "and it was removed");
            }
        });
    }

    @Test
    void whatACallbackThrowsGoesToTheExceptionHandlerAndTheReaderStays() {
        AsyncTesting.run(() -> {
            List<ExceptionContext> reported = new ArrayList<>();
            getRunningLoop().setExceptionHandler((loop, context) -> reported.add(context));
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                RuntimeException bug = new RuntimeException("bug");
                int[] calls = {0};
                getRunningLoop().addReader(p.pipe.source(), () -> {
                    p.drain();
                    if (++calls[0] == 1) {
                        throw bug;
                    }
                });
                p.send("a");
                sleep(Duration.ofMillis(20));
                p.send("b");
                sleep(Duration.ofMillis(20));
                assertEquals(2, calls[0], "still registered after a failure");
                assertEquals(1, reported.size());
                assertSame(bug, reported.get(0).exception());
                getRunningLoop().removeReader(p.pipe.source());
            }
        });
    }

    @Test
    void aCallbackRunsInTheContextOfItsRegistration() {
        ContextVar<String> request = ContextVar.create("request", "-");
        AsyncTesting.run(() -> {
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                List<String> seen = new ArrayList<>();
                request.set("r-1");
                getRunningLoop().addReader(p.pipe.source(), () -> {
                    p.drain();
                    seen.add(request.get());
                });
                request.set("r-2");
                p.send("x");
                sleep(Duration.ofMillis(20));
                assertEquals(List.of("r-1"), seen);
                getRunningLoop().removeReader(p.pipe.source());
            }
        });
    }

    @Test
    void aWriterOnAConnectingSocketIsCalledWhenTheConnectionCompletes() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
                 SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                boolean[] connected = {false};
                Future<Void> done = Asyncio.createFuture();
                if (!ch.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
                    getRunningLoop().addWriter(ch, () -> {
                        try {
                            connected[0] = ch.finishConnect();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        getRunningLoop().removeWriter(ch);
                        done.setResult(null);
                    });
                    Asyncio.waitFor(done, java.time.Duration.ofSeconds(5));
                } else {
                    connected[0] = true;
                }
                assertTrue(connected[0]);
            }
        });
    }

    @Test
    void misuseIsAClearError() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            try (NonBlockingPipe p = new NonBlockingPipe()) {
                assertThrows(IllegalArgumentException.class, () -> loop.addReader(p.pipe.sink(), () -> { }),
                        "a pipe's sink cannot be read");
                p.pipe.source().configureBlocking(true);
                assertThrows(IllegalArgumentException.class, () -> loop.addReader(p.pipe.source(), () -> { }),
                        "a blocking channel");
                p.pipe.source().configureBlocking(false);
            }
            try (Server server = Streams.startServer((r, w) -> {
                r.read();
                w.close();
            }, "127.0.0.1", 0)) {
                Streams.Connection c = Streams.openConnection("127.0.0.1", server.port());
                SocketChannel ch = (SocketChannel) c.writer().getExtraInfo(ExtraInfo.SOCKET);
                assertThrows(IllegalStateException.class, () -> loop.addReader(ch, () -> { }),
                        "a transport drives the channel");
                c.close();
            }
            try (java.nio.channels.ServerSocketChannel l = java.nio.channels.ServerSocketChannel.open()) {
                l.bind(new InetSocketAddress("127.0.0.1", 0));
                l.configureBlocking(false);
                Task<SocketChannel> accepting = createTask(() -> Transports.sockAccept(l));
                sleep(Duration.ZERO);
                assertThrows(IllegalStateException.class, () -> loop.addReader(l, () -> { }),
                        "a task waits to accept");
                accepting.cancel();
                sleep(Duration.ZERO);
                loop.addReader(l, () -> { });
                assertThrows(IllegalStateException.class, () -> Transports.sockAccept(l),
                        "a callback reads the channel");
                loop.removeReader(l);
            }
        });
    }
}
