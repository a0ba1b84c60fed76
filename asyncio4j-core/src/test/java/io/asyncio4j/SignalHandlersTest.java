package io.asyncio4j;

import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.internal.loop.SignalsAccess;

/**
 * The loop's signal handlers: asyncio's add_signal_handler and remove_signal_handler. The test
 * signals its own JVM with {@code kill}, only while a handler of the test's is installed (the
 * JVM's own handlers of these signals would end the process).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalHandlersTest {

    private static void kill(String signal) {
        toThread(() -> {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertEquals(0, p.waitFor(), "kill -" + signal);
            return null;
        });
    }

    @Test
    void aHandlerRunsOnTheLoopInItsContextEachTimeTheSignalArrives() {
        ContextVar<String> request = ContextVar.create("request", "-");
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            List<String> seen = new ArrayList<>();
            Future<Void> twice = createFuture();
            request.set("at registration");
            loop.addSignalHandler("SIGUSR1", () -> {
                seen.add(request.get() + (getRunningLoop() == loop ? ", on the loop" : ", elsewhere"));
                if (seen.size() == 2) {
                    twice.setResult(null);
                }
            });
            request.set("later");
            try {
                kill("USR1");
                for (int i = 0; i < 200 && seen.isEmpty(); i++) {
                    sleep(Duration.ofMillis(10)); // one signal at a time: the JVM may merge signals that arrive together
                }
                kill("USR1");
                waitFor(twice, Duration.ofSeconds(5));
                assertEquals(List.of("at registration, on the loop", "at registration, on the loop"), seen);
            } finally {
                assertTrue(loop.removeSignalHandler("USR1"));
            }
            assertFalse(loop.removeSignalHandler("USR1"), "nothing left to remove");
        });
    }

    @Test
    void aNewHandlerReplacesTheLoopsEarlierOneAndRemovingPutsBackWhatWasThereBefore() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Object[] before = {null};
            // the handler the JVM had before the test: swap it out and back to learn it
            before[0] = io.asyncio4j.internal.loop.SignalsAccess.current("USR1");
            List<String> calls = new ArrayList<>();
            Future<Void> called = createFuture();
            loop.addSignalHandler("USR1", () -> calls.add("first"));
            loop.addSignalHandler("USR1", () -> {
                calls.add("second");
                called.setResult(null);
            });
            try {
                kill("USR1");
                waitFor(called, Duration.ofSeconds(5));
                sleep(Duration.ofMillis(50));
                assertEquals(List.of("second"), calls);
            } finally {
                loop.removeSignalHandler("USR1");
            }
            assertTrue(before[0] == io.asyncio4j.internal.loop.SignalsAccess.current("USR1"),
                    "the JVM's handler is back");
        });
    }

    @Test
    void closingTheLoopRemovesItsHandlers() {
        Object before = io.asyncio4j.internal.loop.SignalsAccess.current("USR1");
        AsyncTesting.run(() -> getRunningLoop().addSignalHandler("USR1", () -> { }));
        assertTrue(before == io.asyncio4j.internal.loop.SignalsAccess.current("USR1"), "the JVM's handler is back");
    }

    @Test
    void unknownSignalsAndSignalsNobodyMayHandleAreRejected() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("NOPE", () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler("KILL", () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(" ", () -> { }));
            assertFalse(loop.removeSignalHandler("TERM"), "no handler of this loop");
        });
    }
}
