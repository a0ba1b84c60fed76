package io.asyncio4j.observe;

import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** loop.statistics(): what the loop counts, and the lag a held loop shows. */
@Timeout(30)
class LoopStatisticsTest {
    private static final long MS = 1_000_000;

    /** Holds the loop's thread, as a CPU-bound step does (no sleep: the loop must not get the thread back). */
    private static void spin(long ms) {
        long end = System.nanoTime() + ms * MS;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void anIdleLoopIsMostlyIdleAndItsTimersAreBarelyLate() {
        LoopStatistics s = Asyncio.run(() -> {
            for (int i = 0; i < 20; i++) {
                sleep(Duration.ofMillis(10));
            }
            return getRunningLoop().statistics();
        });
        assertTrue(s.iterations() >= 20, s.format());
        assertTrue(s.lagSamples() >= 20, "a sample per iteration whose timers came due: " + s.format());
        assertTrue(s.runningNanos() >= 200 * MS, s.format());
        assertTrue(s.idleNanos() > 0 && s.idleNanos() <= s.runningNanos(), s.format());
        assertTrue(s.utilization() < 0.5, s.format());
        assertTrue(s.lagP50Nanos() <= s.lagP99Nanos() && s.lagP99Nanos() <= s.lagMaxNanos() + 1, s.format());
        assertEquals(1, s.tasksAlive(), "the main task");
        assertNull(s.slowestStep(), "steps are timed only in debug mode or under JFR");
    }

    @Test
    void aStepThatHoldsTheLoopShowsAsLagOfTheTimerItDelayedAndInDebugModeAsTheSlowestStep() {
        LoopStatistics s = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            loop.setSlowCallbackDuration(Duration.ofSeconds(10)); // timed, but not logged
            loop.callLater(Duration.ofMillis(1), () -> { });
            spin(40);
            sleep(Duration.ofMillis(5)); // the timer is collected now, 39 ms late
            return loop.statistics();
        }, true);
        assertTrue(s.lagMaxNanos() >= 35 * MS, s.format());
        assertTrue(s.lagP99Nanos() >= 35 * MS, "one of few samples: " + s.format());
        assertTrue(s.slowestStepNanos() >= 40 * MS, s.format());
        assertTrue(s.slowestStep() != null && s.slowestStep().contains("Task-"), s.format());
        assertTrue(s.format().contains("slowest=4"), s.format());
    }

    @Test
    void fromAnotherThreadWhileTheLoopRunsStatisticsIsRefusedAndTheSnapshotHasThem() throws Exception {
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
                try {
                    loop.statistics();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            Throwable e = Asyncio.await(refused);
            assertTrue(e != null && e.getMessage().contains("Observe.snapshot(loop)"), String.valueOf(e));
            CompletableFuture<LoopSnapshot> snap = CompletableFuture.supplyAsync(() -> {
                try {
                    return Observe.snapshot(loop).get(5, TimeUnit.SECONDS);
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            assertEquals(1, Asyncio.await(snap).statistics().tasksAlive());
        });
    }

    @Test
    void theCountersAddUpOverSeveralRunsOfOneLoop() {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                sleep(Duration.ofMillis(30));
                return null;
            }));
            LoopStatistics first = loop.statistics(); // not running: any thread may read
            loop.runUntilComplete(loop.createTask(() -> {
                sleep(Duration.ofMillis(30));
                return null;
            }));
            LoopStatistics second = loop.statistics();
            assertTrue(first.runningNanos() >= 30 * MS, first.format());
            assertTrue(second.runningNanos() >= first.runningNanos() + 30 * MS, second.format());
            assertTrue(second.iterations() > first.iterations());
            assertTrue(second.lagSamples() >= first.lagSamples() + 1);
        } finally {
            loop.close();
        }
    }
}
