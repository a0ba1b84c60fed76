package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Debug mode names a blocking call that holds the loop, with the stack of the call itself. */
@Timeout(30)
class BlockingCallReportTest {

    @Test
    void aTaskStuckInFileIoIsReportedWithTheStackOfTheRead(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("slow-file");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo is needed for a file read that blocks");
        Thread writer = Thread.ofPlatform().name("test-fifo-writer").start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                Thread.sleep(300); // the reader blocks in read() meanwhile, holding the loop
                out.write('x');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (LogCapture log = new LogCapture()) {
            int b = Asyncio.run(() -> await(createTask("file-reader", () -> {
                try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                    return in.read();
                }
            })), true);
            assertEquals('x', b);
            List<LogCapture.Entry> slow = log.find("WARNING", "Executing <Task file-reader");
            assertEquals(1, slow.size(), log.entries().toString());
            String m = slow.getFirst().message();
            assertTrue(m.contains("it was running at:"), m);
            assertTrue(m.contains("java.io.FileInputStream.read"), "the stack of the blocking read: " + m);
            assertTrue(m.contains("BlockingCallReportTest"), m);
        } finally {
            writer.join();
        }
    }
}
