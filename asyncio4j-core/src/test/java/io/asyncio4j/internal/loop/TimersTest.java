package io.asyncio4j.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop's timer structure (wheel plus heap) hands out due timers in (deadline, sequence) order. */
class TimersTest {

    private static final class Entry extends TimerEntry {
        @Override
        public void run() {
        }
    }

    private long seq;

    private Entry entry(long whenNs) {
        Entry e = new Entry();
        e.whenNs = whenNs;
        e.seq = seq++;
        return e;
    }

    private static List<TimerEntry> drain(Timers timers, long nowNs) {
        ReadyQueue ready = new ReadyQueue();
        timers.collectDue(nowNs, ready);
        List<TimerEntry> out = new ArrayList<>();
        Object x;
        while ((x = ready.poll()) != null) {
            out.add((TimerEntry) x);
        }
        return out;
    }

    @Test
    void dueTimersComeOutInDeadlineOrderWithTiesInSchedulingOrder() {
        Timers timers = new Timers();
        long base = 1_000_000_000_000L;
        SplittableRandom random = new SplittableRandom(7);
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // near (wheel), far (heap) and equal deadlines
            long when = base + switch (i % 4) {
                case 0 -> random.nextLong(1_000_000_000L);
                case 1 -> random.nextLong(5_000_000_000L, 60_000_000_000L);
                case 2 -> 500_000_000L;
                default -> random.nextLong(2_000_000L);
            };
            Entry e = entry(when);
            all.add(e);
            timers.add(e, base);
        }
        assertEquals(all.size(), timers.size());
        List<TimerEntry> out = new ArrayList<>();
        for (long now = base; now <= base + 61_000_000_000L; now += 3_000_000L) {
            List<TimerEntry> batch = drain(timers, now);
            for (TimerEntry e : batch) {
                assertTrue(e.whenNs <= now, "a timer came out before its deadline");
            }
            out.addAll(batch);
        }
        all.sort(Comparator.comparingLong((Entry e) -> e.whenNs).thenComparingLong(e -> e.seq));
        assertEquals(all, out);
        assertTrue(timers.isEmpty());
    }

    @Test
    void cancelledTimersNeverComeOutAndStopCounting() {
        Timers timers = new Timers();
        long base = 5_000_000_000L;
        List<Entry> kept = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Entry near = entry(base + i * 100_000L);
            Entry far = entry(base + 60_000_000_000L + i);
            timers.add(near, base);
            timers.add(far, base);
            if (i % 3 == 0) {
                kept.add(near);
            } else {
                assertTrue(timers.remove(near));
                assertFalse(timers.remove(near));
            }
            assertTrue(timers.remove(far));
        }
        assertEquals(kept.size(), timers.size());
        assertEquals(kept.get(0).whenNs, timers.nextDeadline());
        assertEquals(kept, drain(timers, base + 61_000_000_000L));
        assertTrue(timers.isEmpty());
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
    }

    @Test
    void aDeadlineAlreadyPastIsDueAtOnceAndALateLoopStillGetsEverything() {
        Timers timers = new Timers();
        long base = 9_000_000_000L;
        Entry past = entry(base - 5_000_000_000L);
        Entry soon = entry(base + 1);
        timers.add(soon, base);
        timers.add(past, base);
        assertEquals(List.of(past), drain(timers, base));
        // the loop was blocked for three seconds: more than a turn of the wheel
        Entry later = entry(base + 800_000_000L);
        timers.add(later, base);
        assertEquals(List.of(soon, later), drain(timers, base + 3_000_000_000L));
    }

    @Test
    void nextDeadlineIsTheEarliestLiveTimer() {
        Timers timers = new Timers();
        long base = 2_000_000_000L;
        Entry a = entry(base + 300_000_000L);
        Entry b = entry(base + 200_000_000L);
        Entry far = entry(base + 90_000_000_000L);
        timers.add(a, base);
        timers.add(b, base);
        timers.add(far, base);
        assertEquals(b.whenNs, timers.nextDeadline());
        timers.remove(b);
        assertEquals(a.whenNs, timers.nextDeadline());
        timers.remove(a);
        assertEquals(far.whenNs, timers.nextDeadline());
    }
}
