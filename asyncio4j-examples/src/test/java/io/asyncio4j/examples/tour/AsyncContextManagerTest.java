package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.examples.tour.AsyncContextManager.Database;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncContextManagerTest {

    @Test
    void connectionOpensQueriesAndClosesInOrder() {
        Run run = Run.of(AsyncContextManager::demo);

        assertEquals(List.of(
                "Connecting...",
                "Executing: SELECT * FROM users",
                "Results for: SELECT * FROM users",
                "Closing connection..."), run.lines());
        // 0.1 s to connect, 0.5 s to query, 0.1 s to close: close() really suspended.
        run.assertTookBetween(0.69, 2);
    }

    @Test
    void closeStillSuspendsWhenTheBodyThrows() {
        var failure = new IllegalStateException("boom");
        Run run = Run.of(out -> {
            var thrown = assertThrows(IllegalStateException.class, () -> run(() -> {
                try (Database _ = Database.connect(out)) {
                    throw failure;
                }
            }));
            assertSame(failure, thrown);
            assertEquals(0, thrown.getSuppressed().length);
        });

        assertEquals(List.of("Connecting...", "Closing connection..."), run.lines());
        run.assertTookBetween(0.19, 1.5);
    }

    @Test
    void closeFinishesItsSleepWhenTheTaskIsCancelledDuringTheQuery() {
        // As in asyncio, a cancellation is delivered once: __aexit__ may still await.
        Run run = Run.of(out -> run(() -> {
            Task<String> session = createTask(() -> {
                try (Database db = Database.connect(out)) {
                    return db.query("SELECT * FROM users");
                }
            });
            sleep(Duration.ofMillis(300));
            session.cancel();
            var thrown = assertThrows(CancelledError.class, () -> await(session));
            // Had close()'s sleep been interrupted too, its error would be suppressed here.
            assertEquals(0, thrown.getSuppressed().length);
        }));

        assertEquals(List.of("Connecting...", "Executing: SELECT * FROM users", "Closing connection..."),
                run.lines());
        run.assertTookBetween(0.39, 1.5);
    }

    @Test
    void closeFinishesItsShieldedSleepWhenWaitForTimesOutTheQuery() {
        Run run = Run.of(out -> {
            var thrown = assertThrows(TimeoutError.class, () -> run(() -> {
                waitFor(() -> {
                    try (Database db = Database.connect(out)) {
                        return db.query("SELECT * FROM users");
                    }
                }, Duration.ofMillis(300));
            }));
            assertEquals(0, thrown.getSuppressed().length);
        });

        assertEquals(List.of("Connecting...", "Executing: SELECT * FROM users", "Closing connection..."),
                run.lines());
        // Python 3.11 takes 0.40 s: 0.3 s until the timeout, then 0.1 s in __aexit__.
        run.assertTookBetween(0.39, 1.5);
    }
}
