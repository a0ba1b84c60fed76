package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conformance of {@link Asyncio#sleep(Duration)} (asyncio rules K). */
@Timeout(10)
class SleepTest {

    @Test
    void sleepZeroYieldsExactlyOneLoopIteration() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("ready");
                loop.callSoon(() -> ran.add("next iteration"));
            });
            sleep(Duration.ZERO);
            assertEquals(List.of("ready"), ran);
            sleep(Duration.ZERO);
            assertEquals(List.of("ready", "next iteration"), ran);
        });
    }

    @Test
    void negativeSleepBehavesAsSleepZero() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("ready");
                loop.callSoon(() -> ran.add("next iteration"));
            });
            long t0 = loop.time();
            sleep(Duration.ofSeconds(-5));
            assertEquals(List.of("ready"), ran);
            sleep(Duration.ofMillis(-1000));
            assertEquals(List.of("ready", "next iteration"), ran);
            assertTrue(loop.time() - t0 < TimeUnit.SECONDS.toNanos(2));
        });
    }

    @Test
    void sleepSuspendsTheTaskForAtLeastTheDelay() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            long t0 = loop.time();
            sleep(Duration.ofMillis(30));
            long elapsed = loop.time() - t0;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(30), "slept only " + elapsed + " ns");
            t0 = loop.time();
            sleep(Duration.ofMillis(20));
            elapsed = loop.time() - t0;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(20), "slept only " + elapsed + " ns");
        });
    }

    @Test
    void sleepSuspendsOnlyTheCurrentTask() {
        AsyncTesting.run(() -> {
            List<String> order = new ArrayList<>();
            Task<Void> sleeper = createTask(() -> {
                sleep(Duration.ofMillis(100));
                order.add("sleeper woke");
            });
            Task<Void> busy = createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    order.add("tick " + i);
                    sleep(Duration.ZERO);
                }
            });
            await(gather(sleeper, busy));
            assertEquals(List.of("tick 0", "tick 1", "tick 2", "sleeper woke"), order);
        });
    }

    @Test
    void sleepersWakeInDeadlineOrder() {
        AsyncTesting.run(() -> {
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int ms : new int[] {60, 20, 40}) {
                tasks.add(createTask(() -> {
                    sleep(Duration.ofMillis(ms));
                    order.add(ms);
                }));
            }
            await(gather(tasks));
            assertEquals(List.of(20, 40, 60), order);
        });
    }

    @Test
    void concurrentSleepsOverlap() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            long t0 = loop.time();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(createTask(() -> sleep(Duration.ofMillis(100))));
            }
            await(gather(tasks));
            long elapsed = loop.time() - t0;
            assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(700), "ten 100 ms sleeps took " + elapsed + " ns");
        });
    }

    @Test
    void cancellingASleepingTaskWakesItAtOnce() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            Task<Void> t = createTask(() -> sleep(Duration.ofSeconds(30)));
            sleep(Duration.ofMillis(10));
            long t0 = loop.time();
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertTrue(loop.time() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void sleepFromAPlainCallbackThrowsIllegalStateException() {
        AsyncTesting.run(() -> {
            EventLoop loop = getRunningLoop();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Future<Void> done = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    sleep(Duration.ofMillis(10));
                } catch (Throwable e) {
                    error.set(e);
                }
                done.setResult(null);
            });
            await(done);
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertTrue(error.get().getMessage().contains("callback"), error.get().getMessage());
        });
    }

    @Test
    void sleepOutsideAnyLoopThrowsIllegalStateException() {
        assertThrows(IllegalStateException.class, () -> sleep(Duration.ofMillis(10)));
    }

    @Test
    void sleepWithANullDurationThrowsNullPointerException() {
        AsyncTesting.run(() -> {
            assertThrows(NullPointerException.class, () -> sleep(null));
        });
    }
}
