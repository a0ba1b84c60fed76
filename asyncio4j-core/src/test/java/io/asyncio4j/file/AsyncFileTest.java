package io.asyncio4j.file;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AsyncFile in binary mode: aiofiles' open file, on a real file system. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncFileTest {
    @TempDir
    Path dir;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static String text(byte[] b) {
        return new String(b, US_ASCII);
    }

    // ------------------------------------------------------------------ reading

    @Test
    void readOfNReturnsExactlyNBytesUntilTheEnd() throws IOException {
        Path p = Files.write(dir.resolve("f"), random(200_000, 1));
        byte[] all = Files.readAllBytes(p);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                assertArrayEquals(Arrays.copyOfRange(all, 0, 10), f.read(10));
                assertEquals(10, f.position());
                assertArrayEquals(Arrays.copyOfRange(all, 10, 150_010), f.read(150_000), "a large read, past the read-ahead");
                assertArrayEquals(Arrays.copyOfRange(all, 150_010, 200_000), f.read(1_000_000), "fewer at the end");
                assertArrayEquals(new byte[0], f.read(10), "empty at the end");
                assertEquals(200_000, f.position());
            }
        });
    }

    @Test
    void readAllReadsFromThePositionToTheEndInSteps() throws IOException {
        byte[] data = random(9 * 1024 * 1024 + 17, 2); // three 4 MiB steps
        Path p = Files.write(dir.resolve("big"), data);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                f.read(17);
                assertArrayEquals(Arrays.copyOfRange(data, 17, data.length), f.readAll());
                assertArrayEquals(new byte[0], f.readAll());
                f.seek(0);
                assertArrayEquals(data, f.read(-1), "a negative size reads to the end");
            }
        });
    }

    @Test
    void readLineReturnsLinesWithTheirNewlineAndThePartialLastOne() throws IOException {
        Path p = dir.resolve("lines");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("line ").append(i).append('\n'); // crosses several 64 KiB read-aheads
        }
        sb.append("no newline");
        Files.writeString(p, sb);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                for (int i = 0; i < 10_000; i++) {
                    assertEquals("line " + i + "\n", text(f.readLine()));
                }
                assertEquals("no newline", text(f.readLine()));
                assertArrayEquals(new byte[0], f.readLine());
                assertEquals(Files.size(p), f.position());
            }
        });
    }

    @Test
    void aLineLongerThanTheReadAheadIsReadWhole() throws IOException {
        byte[] longLine = new byte[300_000];
        Arrays.fill(longLine, (byte) 'x');
        longLine[longLine.length - 1] = '\n';
        Path p = dir.resolve("long");
        Files.write(p, longLine);
        Files.write(p, "tail\n".getBytes(US_ASCII), APPEND);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                assertArrayEquals(longLine, f.readLine());
                assertEquals("tail\n", text(f.readLine()));
            }
        });
    }

    @Test
    void iterationGivesTheRemainingLines() throws IOException {
        Path p = Files.writeString(dir.resolve("it"), "a\nb\n\nc");
        AsyncTesting.run(() -> {
            List<String> lines = new ArrayList<>();
            try (AsyncFile f = AsyncFile.open(p)) {
                f.read(2);
                for (byte[] line : f) {
                    lines.add(text(line));
                }
            }
            assertEquals(List.of("b\n", "\n", "c"), lines);
        });
    }

    // ------------------------------------------------------------------ writing

    @Test
    void smallWritesAreBufferedUntilFlushAndCloseWritesTheRest() throws IOException {
        Path p = dir.resolve("w");
        AsyncTesting.run(() -> {
            AsyncFile f = AsyncFile.open(p, WRITE, CREATE_NEW);
            f.write("hello ".getBytes(US_ASCII));
            f.write(ByteBuffer.wrap("world".getBytes(US_ASCII)));
            assertEquals(11, f.position());
            assertEquals(0, Files.size(p), "still buffered");
            assertEquals(11, f.size(), "size() counts buffered bytes");
            f.flush();
            assertEquals("hello world", Files.readString(p));
            f.write("!".getBytes(US_ASCII));
            f.close();
            assertTrue(f.isClosed());
            assertEquals("hello world!", Files.readString(p));
            f.close(); // idempotent
        });
    }

    @Test
    void largeWritesGoStraightToTheFile() throws IOException {
        byte[] data = random(10 * 1024 * 1024 + 5, 3);
        Path p = dir.resolve("large");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                f.write("x".getBytes(US_ASCII));
                f.write(data);
                assertEquals(data.length + 1, Files.size(p), "written before write() returned");
            }
        });
        byte[] back = Files.readAllBytes(p);
        assertEquals('x', back[0]);
        assertArrayEquals(data, Arrays.copyOfRange(back, 1, back.length));
    }

    @Test
    void readingAfterWritingSeesTheWrittenBytes() throws IOException {
        Path p = Files.writeString(dir.resolve("rw"), "0123456789");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, READ, WRITE)) {
                assertEquals("01", text(f.read(2)));
                f.write("ab".getBytes(US_ASCII)); // overwrites 2 and 3
                assertEquals("45", text(f.read(2)), "a read flushes the buffered write first");
                f.seek(0);
                assertEquals("01ab456789", text(f.readAll()));
            }
        });
    }

    @Test
    void appendModeWritesAtTheEndWhateverThePosition() throws IOException {
        Path p = Files.writeString(dir.resolve("a"), "start");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, APPEND)) {
                assertEquals(5, f.position(), "an append-mode file starts at its end, as Python's 'a'");
                f.seek(0);
                f.write("-end".getBytes(US_ASCII));
                f.flush();
                assertEquals(9, f.position(), "after a write, the new end");
                Files.writeString(p, "+", APPEND); // another writer
                f.write("!".getBytes(US_ASCII));
                f.flush();
                assertEquals(11, f.position());
            }
            assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(p, READ, APPEND), "as FileChannel.open");
        });
        assertEquals("start-end+!", Files.readString(p));
    }

    @Test
    void seekBeyondTheEndLeavesAHoleOfZeros() throws IOException {
        Path p = dir.resolve("hole");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                f.write("ab".getBytes(US_ASCII));
                assertEquals(10, f.seek(10));
                f.write("z".getBytes(US_ASCII));
            }
        });
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 'z'}, Files.readAllBytes(p));
    }

    @Test
    void truncateShortensTheFileAndKeepsThePosition() throws IOException {
        Path p = Files.writeString(dir.resolve("t"), "0123456789");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, READ, WRITE)) {
                f.read(4);
                f.truncate();
                assertEquals(4, f.size());
                assertEquals(4, f.position());
                f.truncate(2);
                assertEquals(2, f.size());
                f.seek(0);
                assertEquals("01", text(f.readAll()));
                assertThrows(IllegalArgumentException.class, () -> f.truncate(-1));
            }
        });
    }

    @Test
    void forceWritesTheBufferAndSyncs() throws IOException {
        Path p = dir.resolve("sync");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                f.write("durable".getBytes(US_ASCII));
                f.force(true);
                assertEquals("durable", Files.readString(p));
                f.force(false);
            }
        });
    }

    // ------------------------------------------------------------------ errors

    @Test
    void openErrorsAreTheJdksPreciseExceptions() throws IOException {
        Path existing = Files.writeString(dir.resolve("exists"), "x");
        AsyncTesting.run(() -> {
            NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                    () -> AsyncFile.open(dir.resolve("missing")));
            assertEquals(dir.resolve("missing").toString(), missing.getFile());
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFile.open(existing, WRITE, CREATE_NEW));
            FileSystemException isDir = assertThrows(FileSystemException.class, () -> AsyncFile.open(dir));
            assertEquals("Is a directory", isDir.getReason());
            assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(existing, READ, APPEND, TRUNCATE_EXISTING));
        });
    }

    @Test
    void theErrorsStackTraceShowsTheCaller() {
        AsyncTesting.run(() -> {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> AsyncFile.open(dir.resolve("missing")));
            boolean sawCaller = false;
            for (StackTraceElement f : e.getStackTrace()) {
                if (f.getClassName().startsWith(AsyncFileTest.class.getName())) {
                    sawCaller = true;
                }
            }
            assertTrue(sawCaller, "the trace names the test that called open(): " + Arrays.toString(e.getStackTrace()));
        });
    }

    @Test
    void readingAFileOpenedForWritingOnlyFails() {
        Path p = dir.resolve("wo");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                assertThrows(NonReadableChannelException.class, () -> f.read(1));
            }
            Files.writeString(p, "x");
            try (AsyncFile f = AsyncFile.open(p)) {
                f.write("y".getBytes(US_ASCII)); // buffered: the failure comes with the write to the file
                assertEquals(1, f.position());
                assertThrows(NonWritableChannelException.class, () -> f.flush());
                assertEquals(0, f.position(), "the failed bytes are dropped: close() does not fail again");
            }
        });
    }

    @Test
    void operationsOnAClosedFileThrowClosedChannelException() throws IOException {
        Path p = Files.writeString(dir.resolve("c"), "abc");
        AsyncTesting.run(() -> {
            AsyncFile f = AsyncFile.open(p);
            f.read(1);
            f.close();
            assertThrows(ClosedChannelException.class, () -> f.read(1));
            assertThrows(ClosedChannelException.class, () -> f.write(new byte[1]));
            assertThrows(ClosedChannelException.class, f::size);
            assertEquals(1, f.position(), "the last position stays readable");
        });
    }

    @Test
    void aSecondTaskUsingTheFileMeanwhileIsRefused() throws IOException {
        Path p = Files.write(dir.resolve("busy"), random(8 * 1024 * 1024, 4));
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                Task<byte[]> reader = createTask(() -> f.read(8 * 1024 * 1024));
                sleep(Duration.ZERO); // the reader waits for its first step
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.read(1));
                assertTrue(e.getMessage().contains("another task"), e.getMessage());
                assertEquals(8 * 1024 * 1024, await(reader).length);
            }
        });
    }

    @Test
    void callsOutsideATaskAreRefusedWithAdvice() throws IOException {
        Path p = Files.writeString(dir.resolve("x"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AsyncFile.open(p));
        assertTrue(e.getMessage().contains("Asyncio.run"), e.getMessage());
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aCancelledReadConsumesNothing() throws IOException {
        byte[] data = random(12 * 1024 * 1024, 5);
        Path p = Files.write(dir.resolve("cr"), data);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                f.read(3);
                for (int round = 0; round < 5; round++) {
                    Task<byte[]> t = createTask(() -> f.readAll());
                    sleep(Duration.ZERO);
                    t.cancel();
                    assertThrows(CancelledError.class, () -> await(t));
                    assertEquals(3, f.position(), "the position has not moved");
                }
                assertArrayEquals(Arrays.copyOfRange(data, 3, data.length), f.readAll(),
                        "the bytes the cancelled reads read are returned now");
            }
        });
    }

    @Test
    void aTimedOutReadKeepsItsBytesToo() throws IOException {
        byte[] data = random(40 * 1024 * 1024, 6);
        Path p = Files.write(dir.resolve("tr"), data);
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p)) {
                boolean timedOut = false;
                try (var t = timeout(Duration.ofNanos(1))) {
                    f.readAll();
                } catch (TimeoutError e) {
                    timedOut = true;
                }
                assertTrue(timedOut);
                assertEquals(0, f.position());
                assertArrayEquals(data, f.readAll());
            }
        });
    }

    @Test
    void aCancelledWriteWroteWholeStepsAndThePositionSaysHowFar() throws IOException {
        byte[] data = random(16 * 1024 * 1024, 7); // four 4 MiB steps
        Path p = dir.resolve("cw");
        AsyncTesting.run(() -> {
            try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                Task<Void> t = createTask(() -> f.write(data));
                sleep(Duration.ZERO);
                t.cancel();
                assertThrows(CancelledError.class, () -> await(t));
                long written = f.position();
                assertTrue(written % (4 * 1024 * 1024) == 0 && written > 0 && written <= data.length,
                        "whole steps: " + written);
                assertEquals(written, f.size());
                f.write(Arrays.copyOfRange(data, (int) written, data.length)); // the rest, from where it stopped
            }
        });
        assertArrayEquals(data, Files.readAllBytes(p));
    }

    @Test
    void closeInACancelledTaskStillWritesAndCloses() throws IOException {
        Path p = dir.resolve("cc");
        AsyncTesting.run(() -> {
            AsyncFile[] file = new AsyncFile[1];
            Task<Void> t = createTask(() -> {
                try (AsyncFile f = AsyncFile.open(p, WRITE, CREATE)) {
                    file[0] = f;
                    f.write("buffered".getBytes(US_ASCII));
                    sleep(Duration.ofSeconds(10));
                }
            });
            sleep(Duration.ofMillis(20));
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(file[0].isClosed());
        });
        assertEquals("buffered", Files.readString(p));
    }
}
