package io.asyncio4j.sql;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import java.time.Duration;

/**
 * A task that sleeps a millisecond at a time and records how late each wake-up was: the measure
 * of whether the loop stayed responsive. Start it, run the work, stop it, read the figures.
 */
final class Ticker {
    private final Task<Void> task;
    private long ticks;
    private long maxLateNs;
    private long totalLateNs;
    private final long startNs = System.nanoTime();
    final java.util.List<String> lateOnes = new java.util.ArrayList<>();

    private Ticker() {
        task = createTask("ticker", () -> {
            Duration period = Duration.ofMillis(1);
            while (true) {
                long t0 = System.nanoTime();
                sleep(period);
                long late = System.nanoTime() - t0 - period.toNanos();
                ticks++;
                totalLateNs += Math.max(0, late);
                maxLateNs = Math.max(maxLateNs, late);
                if (late > 3_000_000L && lateOnes.size() < 50) {
                    lateOnes.add(String.format(java.util.Locale.ROOT, "@%.1fms late %.1fms", (t0 - startNs) / 1e6, late / 1e6));
                }
            }
        });
    }

    /** Starts a ticker in the current loop. */
    static Ticker start() {
        return new Ticker();
    }

    /** Stops it: cancels its task and waits for it. Suspends. */
    Ticker stop() {
        task.cancel();
        try {
            await(task);
        } catch (CancelledError expected) {
            // stopped
        }
        return this;
    }

    long ticks() {
        return ticks;
    }

    double maxLateMs() {
        return maxLateNs / 1e6;
    }

    double meanLateMs() {
        return ticks == 0 ? 0 : totalLateNs / 1e6 / ticks;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d ticks, late by %.3f ms at most, %.3f ms on average", ticks,
                maxLateMs(), meanLateMs());
    }
}
