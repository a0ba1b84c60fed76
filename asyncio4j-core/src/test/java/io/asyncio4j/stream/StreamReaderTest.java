package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static io.asyncio4j.stream.NetTesting.eventually;
import static io.asyncio4j.stream.NetTesting.port;
import static io.asyncio4j.stream.NetTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.internal.net.StreamReaderImpl;
import java.time.Duration;

/** StreamReader, fed by hand and over loopback connections: asyncio rules N1-N9. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderTest {

    private static StreamReaderImpl fed(int limit, String... chunks) {
        StreamReaderImpl r = new StreamReaderImpl(limit);
        for (String c : chunks) {
            r.feedData(bytes(c));
        }
        return r;
    }

    // ------------------------------------------------------------------ N1 read

    @Test
    void readWithoutASizeReadsToTheEndOfTheStream() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "abc", "def");
            Task<byte[]> t = createTask(() -> r.read());
            sleep(Duration.ZERO);
            assertFalse(t.isDone(), "read() waits for the end of the stream");
            r.feedData(bytes("ghi"));
            r.feedEof();
            assertEquals("abcdefghi", text(await(t)));
            assertArrayEquals(new byte[0], r.read());
            assertArrayEquals(new byte[0], r.read(-1));
        });
    }

    @Test
    void readOfZeroReturnsEmptyWithoutWaiting() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            assertArrayEquals(new byte[0], r.read(0));
            r.feedData(bytes("x"));
            assertArrayEquals(new byte[0], r.read(0));
            assertEquals("x", text(r.read(1)));
        });
    }

    @Test
    void readOfNWaitsForOneByteThenReturnsWhatIsBufferedUpToN() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.read(10));
            sleep(Duration.ZERO);
            assertFalse(t.isDone());
            r.feedData(bytes("ab"));
            assertEquals("ab", text(await(t)));
            r.feedData(bytes("abcdef"));
            assertEquals("abcd", text(r.read(4)));
            assertEquals("ef", text(r.read(4)));
            r.feedEof();
            assertArrayEquals(new byte[0], r.read(4));
            assertTrue(r.atEof());
        });
    }

    // ------------------------------------------------------------------ N2 readLine

    @Test
    void readLineReturnsThroughTheNewlineThenThePartialLineThenEmpty() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "one\ntw", "o\nthr");
            assertEquals("one\n", text(r.readLine()));
            assertEquals("two\n", text(r.readLine()));
            Task<byte[]> t = createTask(() -> r.readLine());
            sleep(Duration.ZERO);
            assertFalse(t.isDone(), "a partial line waits for its newline");
            r.feedData(bytes("ee"));
            r.feedEof();
            assertEquals("three", text(await(t)));
            assertArrayEquals(new byte[0], r.readLine());
            assertArrayEquals(new byte[0], r.readLine());
        });
    }

    @Test
    void readLineOverTheLimitDiscardsTheLineWithItsSeparator() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(4, "abcdefgh\nrest\n");
            assertThrows(LimitOverrunError.class, r::readLine);
            assertEquals("rest\n", text(r.readLine()));
        });
    }

    @Test
    void readLineOverTheLimitWithoutASeparatorClearsTheBuffer() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(4, "abcdefghij");
            assertThrows(LimitOverrunError.class, r::readLine);
            assertEquals(0, r.bufferedSize());
            r.feedData(bytes("xy\n"));
            assertEquals("xy\n", text(r.readLine()));
        });
    }

    // ------------------------------------------------------------------ N3 readExactly

    @Test
    void readExactlyWaitsAcrossChunks() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.readExactly(6));
            for (String c : List.of("ab", "cd", "efgh")) {
                sleep(Duration.ZERO);
                assertFalse(t.isDone());
                r.feedData(bytes(c));
            }
            assertEquals("abcdef", text(await(t)));
            assertEquals("gh", text(r.readExactly(2)));
        });
    }

    @Test
    void readExactlyOfZeroIsEmptyAndANegativeSizeIsRejected() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            assertArrayEquals(new byte[0], r.readExactly(0));
            assertThrows(IllegalArgumentException.class, () -> r.readExactly(-1));
        });
    }

    @Test
    void readExactlyAtTheEndOfTheStreamGivesThePartialDataAndTheExpectedSize() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "abc");
            Task<byte[]> t = createTask(() -> r.readExactly(10));
            sleep(Duration.ZERO);
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> await(t));
            assertEquals("abc", text(e.partial()));
            assertEquals(10, e.expected());
            assertTrue(r.atEof(), "the buffer is emptied");
        });
    }

    // ------------------------------------------------------------------ N4/N5 readUntil

    @Test
    void readUntilReturnsTheDataWithTheSeparatorEvenWhenSplitAcrossChunks() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.readUntil(bytes("\r\n")));
            r.feedData(bytes("head\r"));
            sleep(Duration.ZERO);
            assertFalse(t.isDone());
            r.feedData(bytes("\nbody"));
            assertEquals("head\r\n", text(await(t)));
            r.feedEof();
            assertEquals("body", text(r.read()));
        });
    }

    @Test
    void readUntilAtTheEndOfTheStreamGivesTheRestWithNoExpectedSize() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "no separator");
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readUntil(bytes("\n")));
            assertEquals("no separator", text(e.partial()));
            assertEquals(-1, e.expected());
            assertTrue(r.atEof());
        });
    }

    @Test
    void readUntilFindsACompleteMessageThatArrivedWithTheEndOfTheStream() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "a;b");
            r.feedEof();
            assertEquals("a;", text(r.readUntil(bytes(";"))));
            assertThrows(IncompleteReadError.class, () -> r.readUntil(bytes(";")));
        });
    }

    @Test
    void readUntilRejectsAnEmptySeparatorOrNoSeparators() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "abc");
            assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> r.readUntil(List.of()));
            assertThrows(IllegalArgumentException.class, () -> r.readUntil(List.of(bytes("a"), new byte[0])));
            assertEquals("abc", text(r.read(3)));
        });
    }

    @Test
    void readUntilOverTheLimitKeepsTheDataWhenTheSeparatorIsNotFound() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(4, "abcdefgh");
            LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> r.readUntil(bytes("\n")));
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            assertEquals(8, e.consumed());
            assertEquals(8, r.bufferedSize(), "the data stays in the buffer");
            r.feedData(bytes("\n"));
            r.feedEof();
            assertEquals("abcdefgh\n", text(r.read()));
        });
    }

    @Test
    void readUntilOverTheLimitKeepsTheDataWhenTheSeparatorIsFoundTooLate() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(4, "abcde\nf");
            LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> r.readUntil(bytes("\n")));
            assertTrue(e.getMessage().contains("is found"), e.getMessage());
            assertEquals(5, e.consumed());
            assertEquals("abcde\n", text(r.readExactly(6)));
        });
    }

    @Test
    void readUntilAcceptsExactlyTheLimitPlusTheSeparator() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(4, "abcd\r\nnext");
            assertEquals("abcd\r\n", text(r.readUntil(bytes("\r\n"))));
        });
    }

    @Test
    void readUntilWithSeveralSeparatorsReturnsTheMatchThatEndsFirst() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "xxBxxA", "ab===c\n", "end");
            List<byte[]> ab = List.of(bytes("A"), bytes("B"));
            assertEquals("xxB", text(r.readUntil(ab)));
            assertEquals("xxA", text(r.readUntil(ab)));
            assertEquals("ab===", text(r.readUntil(List.of(bytes("\n"), bytes("===")))));
            assertEquals("c\n", text(r.readUntil(List.of(bytes("\n"), bytes("===")))));
            Task<byte[]> t = createTask(() -> r.readUntil(List.of(bytes("\r\n\r\n"), bytes("!"))));
            sleep(Duration.ZERO);
            assertFalse(t.isDone());
            r.feedData(bytes("\r\n\r"));
            sleep(Duration.ZERO);
            assertFalse(t.isDone(), "a separator split across chunks is not matched early");
            r.feedData(bytes("\n!"));
            assertEquals("end\r\n\r\n", text(await(t)));
            assertEquals("!", text(r.read(10)));
        });
    }

    // ------------------------------------------------------------------ N6 one reader at a time

    @Test
    void aSecondConcurrentReaderIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> first = createTask(() -> r.readLine());
            sleep(Duration.ZERO);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(1));
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> r.readExactly(1));
            r.feedData(bytes("line\n"));
            assertEquals("line\n", text(await(first)));
        });
    }

    // ------------------------------------------------------------------ N7 setException

    @Test
    void afterSetExceptionEveryReadThrowsItEvenWithDataBuffered() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "line\nmore");
            IOException boom = new IOException("boom");
            r.setException(boom);
            assertSame(boom, r.exception());
            assertSame(boom, assertThrows(IOException.class, () -> r.read()));
            assertSame(boom, assertThrows(IOException.class, () -> r.read(1)));
            assertSame(boom, assertThrows(IOException.class, r::readLine));
            assertSame(boom, assertThrows(IOException.class, () -> r.readExactly(1)));
            assertSame(boom, assertThrows(IOException.class, () -> r.readUntil(bytes("\n"))));
            assertSame(boom, assertThrows(IOException.class, () -> r.iterator().hasNext()));
        });
    }

    @Test
    void setExceptionWakesAParkedReaderWithTheError() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<byte[]> t = createTask(() -> r.readExactly(4));
            sleep(Duration.ZERO);
            r.feedData(bytes("ab"));
            IOException boom = new IOException("boom");
            r.setException(boom);
            assertSame(boom, assertThrows(IOException.class, () -> await(t)));
        });
    }

    // ------------------------------------------------------------------ N8 feeding, EOF, iteration

    @Test
    void feedDataAfterFeedEofIsAnIllegalStateException() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            r.feedEof();
            assertThrows(IllegalStateException.class, () -> r.feedData(bytes("x")));
        });
    }

    @Test
    void atEofIsTrueOnlyOnceTheEndWasFedAndTheBufferIsEmpty() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = fed(100, "ab");
            assertFalse(r.atEof());
            r.feedEof();
            assertFalse(r.atEof(), "data is still buffered");
            r.read(1);
            assertFalse(r.atEof());
            r.read(1);
            assertTrue(r.atEof());
        });
    }

    @Test
    void aNonPositiveLimitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StreamReaderImpl(0));
        assertThrows(IllegalArgumentException.class, () -> new StreamReaderImpl(-1));
        assertEquals(64 * 1024, new StreamReaderImpl().limit());
    }

    @Test
    void iterationYieldsTheLinesUntilTheEndOfTheStream() {
        List<String> lines = AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl();
            Task<Void> feeder = createTask(() -> {
                for (String c : List.of("a\nb", "\n", "c\nlast")) {
                    sleep(Duration.ofMillis(1));
                    r.feedData(bytes(c));
                }
                r.feedEof();
            });
            List<String> out = new ArrayList<>();
            for (byte[] line : r) {
                out.add(text(line));
            }
            await(feeder);
            return out;
        });
        assertEquals(List.of("a\n", "b\n", "c\n", "last"), lines);
    }

    // ------------------------------------------------------------------ N9 flow control

    @Test
    void aReaderFedByHandPausesAboveTwiceTheLimitAndResumesAtTheLimit() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl(10);
            NetTesting.RecordingTransport t = new NetTesting.RecordingTransport();
            r.setTransport(t);
            r.feedData(new byte[20]);
            assertEquals(List.of(), t.calls, "exactly twice the limit does not pause");
            r.feedData(new byte[1]);
            assertEquals(List.of("pause"), t.calls);
            r.feedData(new byte[5]);
            assertEquals(List.of("pause"), t.calls, "paused once");
            r.read(10); // 16 left
            r.read(5); // 11 left
            assertEquals(List.of("pause"), t.calls, "above the limit: still paused");
            r.read(1); // 10 left
            assertEquals(List.of("pause", "resume"), t.calls);
            r.read(10);
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void aReaderThatMustWaitResumesAPausedTransport() {
        AsyncTesting.run(() -> {
            StreamReaderImpl r = new StreamReaderImpl(10);
            NetTesting.RecordingTransport t = new NetTesting.RecordingTransport();
            r.setTransport(t);
            r.feedData(new byte[25]);
            Task<byte[]> big = createTask(() -> r.readExactly(100));
            sleep(Duration.ZERO);
            assertEquals(List.of("pause", "resume"), t.calls, "waiting for more data resumes reading");
            r.feedData(new byte[75]);
            assertEquals(100, await(big).length);
        });
    }

    @Test
    void aSlowConsumerPausesTheTransportAndResumesItAtTheLimit() {
        int limit = 4096;
        int total = 2 * 1024 * 1024;
        AsyncTesting.run(() -> {
            byte[] payload = NetTesting.pattern(total);
            try (Server server = Streams.startServer((r, w) -> {
                w.write(payload);
                w.drain();
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server),
                        ConnectOptions.defaults().withLimit(limit));
                StreamReaderImpl reader = (StreamReaderImpl) c.reader();
                Transport transport = c.writer().transport();
                eventually(5000, "the reader pauses its transport", () -> !transport.isReading());
                assertTrue(reader.bufferedSize() > 2 * limit, "paused only above twice the limit");
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                int maxBuffered = 0;
                int reads = 0;
                while (true) {
                    byte[] chunk = reader.read(1000);
                    if (chunk.length == 0) {
                        break;
                    }
                    got.writeBytes(chunk);
                    int buffered = reader.bufferedSize();
                    maxBuffered = Math.max(maxBuffered, buffered);
                    if (buffered <= limit) {
                        assertTrue(transport.isReading() || transport.isClosing(),
                                "resumed once drained to the limit (" + buffered + " buffered)");
                    }
                    if (buffered > 2 * limit) {
                        assertFalse(transport.isReading(), "paused above twice the limit");
                    }
                    if (++reads % 8 == 0) {
                        sleep(Duration.ZERO); // a slow consumer: let the loop read meanwhile
                    }
                }
                assertArrayEquals(payload, got.toByteArray());
                assertTrue(maxBuffered <= 2 * limit + 256 * 1024,
                        "the buffer stays bounded: at most one socket read above twice the limit, was "
                                + maxBuffered);
                c.close();
            }
        });
    }

    @Test
    void linesOverARealConnectionArriveInOrderAndTheIterationEndsAtEof() {
        int n = 2000;
        int count = AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                for (int i = 0; i < n; i++) {
                    w.write(bytes("line " + i + "\n"));
                    if (i % 100 == 0) {
                        w.drain();
                    }
                }
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server));
                int i = 0;
                for (byte[] line : c.reader()) {
                    assertEquals("line " + i + "\n", text(line));
                    i++;
                }
                assertTrue(c.reader().atEof());
                assertNull(c.reader().exception());
                c.close();
                return i;
            }
        });
        assertEquals(n, count);
    }

    @Test
    void aLineLongerThanTheLimitOverARealConnectionIsDiscardedAndTheNextLineIsRead() {
        AsyncTesting.run(() -> {
            try (Server server = Streams.startServer((r, w) -> {
                byte[] reply = new byte[307];
                System.arraycopy(bytes("\nshort\n"), 0, reply, 300, 7);
                w.write(reply);
                w.close();
            }, HOST, 0)) {
                Streams.Connection c = Streams.openConnection(HOST, port(server),
                        ConnectOptions.defaults().withLimit(200));
                eventually(5000, "the whole reply arrived", () -> ((StreamReaderImpl) c.reader()).bufferedSize() == 307);
                assertThrows(LimitOverrunError.class, () -> c.reader().readLine());
                assertEquals("short\n", text(c.reader().readLine()));
                c.close();
            }
        });
    }
}
