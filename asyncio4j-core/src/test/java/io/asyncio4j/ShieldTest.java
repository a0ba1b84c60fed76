package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createFuture;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.shield;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** asyncio.shield: protecting a future from its awaiters' cancellation (ASYNCIO-SEMANTICS I). */
class ShieldTest {

    private static Task<String> after(long millis, String value) {
        return createTask(() -> {
            sleep(Duration.ofMillis(millis));
            return value;
        });
    }

    @Test
    void cancellingTheAwaiterLeavesTheShieldedTaskRunning() {
        AsyncTesting.runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> inner = createTask(() -> {
                sleep(Duration.ofMillis(150));
                events.add("inner finished");
                return "inner";
            });
            Task<String> awaiter = createTask(() -> await(shield(inner)));
            sleep(Duration.ofMillis(10));
            awaiter.cancel();
            assertThrows(CancelledError.class, () -> await(awaiter));
            assertTrue(awaiter.isCancelled());
            assertFalse(inner.isDone());
            assertEquals("inner", await(inner));
            assertEquals(List.of("inner finished"), events);
        });
    }

    @Test
    void shieldMirrorsTheResult() {
        AsyncTesting.runVirtual(() -> {
            Future<String> s = shield(after(5, "value"));
            assertEquals("value", await(s));
        });
    }

    @Test
    void shieldMirrorsTheException() {
        AsyncTesting.runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> inner = createTask(() -> {
                sleep(Duration.ofMillis(5));
                throw boom;
            });
            Future<String> s = shield(inner);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> await(s)));
        });
    }

    @Test
    void cancellingTheShieldFutureLeavesTheInnerRunning() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = after(30, "inner");
            Future<String> s = shield(inner);
            assertTrue(s.cancel());
            assertTrue(s.isCancelled());
            assertFalse(inner.isCancelled());
            assertEquals("inner", await(inner));
        });
    }

    @Test
    void innerCancellationCancelsTheShield() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = after(1000, "inner");
            Future<String> s = shield(inner);
            sleep(Duration.ofMillis(5));
            inner.cancel();
            assertThrows(CancelledError.class, () -> await(s));
            assertTrue(s.isCancelled());
        });
    }

    @Test
    void shieldOfADoneFutureIsTheSameObject() {
        AsyncTesting.runVirtual(() -> {
            Future<String> done = createFuture();
            done.setResult("x");
            assertSame(done, shield(done));
            Future<String> pending = createFuture();
            Future<String> s = shield(pending);
            assertNotSame(pending, s);
            pending.setResult("y");
            assertEquals("y", await(s));
        });
    }

    @Test
    void innerFailureArrivingAsTheAwaiterIsCancelledIsNotReported() {
        // AsyncTesting.run fails if the inner's exception is reported as never retrieved
        AsyncTesting.runVirtual(() -> {
            Future<String> inner = createFuture();
            Task<String> awaiter = createTask(() -> await(shield(inner)));
            sleep(Duration.ofMillis(5));
            awaiter.cancel();
            inner.setException(new IllegalStateException("failure nobody awaits"));
            assertThrows(CancelledError.class, () -> await(awaiter));
            sleep(Duration.ofMillis(5));
        });
    }

    @Test
    void shieldedTaskSurvivesAnAwaiterThatTimesOut() {
        AsyncTesting.runVirtual(() -> {
            Task<String> inner = after(150, "inner");
            assertThrows(TimeoutError.class, () -> {
                try (var _ = Asyncio.timeout(java.time.Duration.ofMillis(10))) {
                    await(shield(inner));
                }
            });
            assertFalse(inner.isDone());
            assertEquals("inner", await(inner));
        });
    }
}
