package io.asyncio4j.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.asyncio4j.EventLoop;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timers (wheel and heap) against a model: a million timers scheduled at random deadlines,
 * near and far, a third of them cancelled, on a virtual clock; they must fire exactly in
 * (deadline, scheduling order), none cancelled may fire, none scheduled may be lost.
 */
@Timeout(300)
class TimerChurnStressTest {

    @Test
    void aMillionTimersWithCancellationsFireInDeadlineOrderLikeTheModel() {
        VirtualClock clock = VirtualClock.autojump();
        SplittableRandom random = new SplittableRandom(42);
        int n = 1_000_000;
        long[] delays = new long[n];
        boolean[] cancelled = new boolean[n];
        List<Integer> fired = new ArrayList<>(n);
        clock.run(() -> {
            EventLoop loop = io.asyncio4j.Asyncio.getRunningLoop();
            List<TimerHandle> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                // mostly near (the wheel), some far (the heap), many ties
                long delayMs = random.nextInt(10) < 8 ? random.nextInt(1_000) : 1_000 + random.nextInt(3_600_000);
                int id = i;
                TimerHandle h = loop.callLater(Duration.ofMillis(delayMs), () -> fired.add(id));
                handles.add(h);
                delays[i] = delayMs;
                if (i % 3 == 0 && i > 0) {
                    int victim = random.nextInt(i);
                    handles.get(victim).cancel();
                    cancelled[victim] = true;
                }
            }
            io.asyncio4j.Asyncio.sleep(Duration.ofHours(2));
        });
        // the model: every timer not cancelled, by deadline, ties in scheduling order
        List<Integer> expected = java.util.stream.IntStream.range(0, n).filter(i -> !cancelled[i]).boxed()
                .sorted(java.util.Comparator.<Integer>comparingLong(i -> delays[i]).thenComparingInt(i -> i)).toList();
        assertEquals(expected.size(), fired.size(), "fired count");
        assertEquals(expected, fired);
    }
}
