package io.asyncio4j.file;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose calls may block for ever (a FIFO without a writer): they hold neither the loop nor
 * a thread of the bounded file pool, and a cancellation abandons them at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FifoTest {
    @TempDir
    Path dir;
    Path fifo;

    @BeforeEach
    void makeFifo() throws Exception {
        fifo = dir.resolve("fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e);
            return;
        }
        assertEquals(0, p.waitFor());
    }

    /**
     * Opens the FIFO's write end from a platform thread, so a blocked reader's open returns. WRITE
     * alone, never CREATE: a writer late for a test whose folder is being removed must not make a
     * plain file in its place.
     */
    private void unblock(byte[] data) {
        Thread t = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                out.write(data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aBlockedFifoReadDoesNotHoldTheLoop() {
        AsyncTesting.run(() -> {
            Task<byte[]> reader = createTask(() -> AsyncFiles.readBytes(fifo));
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                sleep(Duration.ofMillis(5)); // the loop goes on while the open waits for a writer
            }
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertTrue(!reader.isDone());
            unblock("through the fifo".getBytes(US_ASCII));
            assertArrayEquals("through the fifo".getBytes(US_ASCII), await(reader));
        });
    }

    @Test
    void waitingOnAFileCallLongerThanTheDeadlockGraceIsNoDeadlock() {
        AsyncTesting.run(() -> {
            // the only task waits on a file thread for longer than the detector's one-second
            // grace: the loop must count the call as a wake-up to come, not report a deadlock
            Thread late = new Thread(() -> {
                try {
                    Thread.sleep(1_600);
                } catch (InterruptedException e) {
                    return;
                }
                unblock("late".getBytes(US_ASCII));
            });
            late.setDaemon(true);
            late.start();
            assertArrayEquals("late".getBytes(US_ASCII), AsyncFiles.readBytes(fifo));
        });
    }

    @Test
    void cancellingABlockedFifoOpenAbandonsItAtOnce() {
        AsyncTesting.run(() -> {
            for (int i = 0; i < 8; i++) { // more than the bounded pool's threads, if they were used
                Task<AsyncFile> opener = createTask(() -> AsyncFile.open(fifo));
                sleep(Duration.ofMillis(10));
                opener.cancel();
                assertThrows(CancelledError.class, () -> await(opener));
            }
            // the bounded pool is free: ordinary file calls go on
            Path f = AsyncFiles.writeString(dir.resolve("plain"), "still works");
            assertEquals("still works", AsyncFiles.readString(f));
        });
        // let the abandoned opens return (the first writer's open releases them all; their channels
        // are closed); the other writers wait for a reader that never comes, harmlessly: daemons
        for (int i = 0; i < 8; i++) {
            unblock(new byte[0]);
        }
    }

    @Test
    void aFifoReadCancelledMidwayAbandonsTheFileWhichCanOnlyBeClosed() {
        AsyncTesting.run(() -> {
            unblock("first\n".getBytes(US_ASCII)); // a writer that writes one line and keeps... closing
            try (AsyncFile f = AsyncFile.open(fifo)) {
                assertEquals("first\n", new String(f.readLine(), US_ASCII));
                f.close();
            }
            Thread writer = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(fifo)) {
                    out.write("x".getBytes(US_ASCII));
                    out.flush();
                    Thread.sleep(60_000); // holds the FIFO open: a read waits for more
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            writer.setDaemon(true);
            writer.start();
            AsyncFile f = AsyncFile.open(fifo);
            assertEquals("x", new String(f.read(1), US_ASCII));
            Task<byte[]> reader = createTask(() -> f.read(10));
            sleep(Duration.ofMillis(20));
            reader.cancel();
            assertThrows(CancelledError.class, () -> await(reader));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.read(1));
            assertTrue(e.getMessage().contains("abandoned"), e.getMessage());
            f.close(); // unblocks the abandoned read
            assertTrue(f.isClosed());
            writer.interrupt();
        });
    }
}
