package io.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.process.Subprocess;
import io.asyncio4j.process.Subprocesses;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A loop closing with children still running kills them, reaps them and says so. */
class ProcessLoopCloseTest {

    @Test
    void aLoopClosingWithAChildRunningKillsItAndLogsIt() throws Exception {
        long pid;
        try (LogCapture log = new LogCapture()) {
            try (Runner runner = Runner.create()) {
                pid = runner.run(() -> {
                    Subprocess p = Subprocesses.createSubprocessExec("sleep", "30");
                    return p.pid(); // left running on purpose
                });
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            }
            assertEquals(1, log.find("WARNING", "pid " + pid + " (sleep 30)").size(), log.entries().toString());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(ProcessHandle.of(pid).isPresent(), "the killed child was reaped");
    }
}
