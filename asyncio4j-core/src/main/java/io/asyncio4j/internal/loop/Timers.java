package io.asyncio4j.internal.loop;

import java.util.Arrays;

/*
 * Implementation overview
 *
 * Timers due within about a second (1024 ticks of 2^20 ns, ~1.05 ms) go into a timing wheel: one
 * growable bucket per tick, found by shifting the deadline, so scheduling is an append and
 * expiring a tick takes its bucket whole. Later timers wait in a TimerHeap until they are due.
 * Sleeps, timeouts and retries are mostly short, so most timers never see the heap; the heap keeps
 * the long ones (a 60 s timeout) without making the wheel sparse.
 *
 * collectDue(now) takes the due entries of both, sorts them by (deadline, scheduling sequence) and
 * appends them to the ready queue: due timers run in deadline order, ties in scheduling order.
 * Cancellation is lazy in both structures (the entry is marked and dropped when its bucket
 * expires, or by the heap's compaction). The wheel's cursor is the first tick not yet expired;
 * entries never go behind it (a deadline already past lands in the cursor's bucket). A bitmap of
 * non-empty buckets makes finding the next deadline a few word scans. Loop thread only.
 */

/** The loop's pending timers: a timing wheel for near deadlines, a heap for far ones. */
final class Timers {
    private static final int TICK_SHIFT = 20;
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;

    private final TimerEntry[][] buckets = new TimerEntry[SLOTS][];
    private final int[] counts = new int[SLOTS];
    private final long[] occupied = new long[SLOTS / 64];
    /** First tick not yet expired. */
    private long cursorTick = Long.MIN_VALUE;
    private int wheelEntries;
    private int wheelCancelled;

    private final TimerHeap heap = new TimerHeap();
    private TimerEntry[] due = new TimerEntry[64];
    /** Scratch space for sorting a bucket by primitive keys. */
    private long[] keys = new long[64];
    private TimerEntry[] scratch = new TimerEntry[64];

    /** {@return how many live timers are pending} */
    int size() {
        return wheelEntries - wheelCancelled + heap.size();
    }

    boolean isEmpty() {
        return wheelEntries == wheelCancelled && heap.isEmpty();
    }

    /**
     * Schedules an entry at its {@code whenNs}.
     *
     * @param e the entry
     * @param nowNs the current time or a little earlier (an earlier one is safe)
     */
    void add(TimerEntry e, long nowNs) {
        long tick = e.whenNs >> TICK_SHIFT;
        if (wheelEntries == 0) {
            cursorTick = Math.max(cursorTick, nowNs >> TICK_SHIFT);
        }
        if (tick < cursorTick) {
            tick = cursorTick;
        }
        if (tick - cursorTick >= SLOTS) {
            heap.add(e);
            return;
        }
        int slot = (int) tick & MASK;
        TimerEntry[] b = buckets[slot];
        int n = counts[slot];
        if (b == null) {
            b = buckets[slot] = new TimerEntry[8];
        } else if (n == b.length) {
            b = buckets[slot] = Arrays.copyOf(b, n * 2);
        }
        b[n] = e;
        counts[slot] = n + 1;
        occupied[slot >>> 6] |= 1L << slot;
        wheelEntries++;
        e.timerState = TimerEntry.IN_WHEEL;
    }

    /** Cancels a scheduled entry; returns false if it is not scheduled. */
    boolean remove(TimerEntry e) {
        if (e.timerState == TimerEntry.IN_WHEEL) {
            e.timerState = TimerEntry.CANCELLED_IN_WHEEL;
            wheelCancelled++;
            return true;
        }
        return heap.remove(e);
    }

    /** {@return the nearest deadline of a live timer, or Long.MAX_VALUE when there is none} */
    long nextDeadline() {
        long best = heap.nextDeadline();
        int slot = (int) cursorTick & MASK;
        for (int scanned = 0; wheelEntries > wheelCancelled && scanned < SLOTS; ) {
            int next = nextOccupied(slot);
            if (next < 0) {
                break;
            }
            scanned += ((next - slot) & MASK) + 1;
            long min = Long.MAX_VALUE;
            TimerEntry[] b = buckets[next];
            for (int k = 0, n = counts[next]; k < n; k++) {
                if (b[k].timerState == TimerEntry.IN_WHEEL && b[k].whenNs < min) {
                    min = b[k].whenNs;
                }
            }
            if (min != Long.MAX_VALUE) {
                return Math.min(best, min);
            }
            clearBucket(next); // only cancelled entries: drop them now
            slot = (next + 1) & MASK;
        }
        return best;
    }

    /** {@return the first occupied slot at or after {@code from}, wrapping around, or -1} */
    private int nextOccupied(int from) {
        int word = from >>> 6;
        long bits = occupied[word] & (-1L << from);
        for (int k = 0; k <= occupied.length; k++) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            word = (word + 1) & (occupied.length - 1);
            bits = occupied[word];
        }
        return -1;
    }

    /**
     * Appends every timer due at {@code nowNs} to the ready queue, in (deadline, sequence) order.
     *
     * @return how late the earliest of them is (the loop's lag), or -1 if none was due
     */
    long collectDue(long nowNs, ReadyQueue ready) {
        int n = 0;
        long nowTick = nowNs >> TICK_SHIFT;
        if (wheelEntries > 0 && cursorTick <= nowTick) {
            long last = Math.min(nowTick, cursorTick + SLOTS - 1);
            for (long tick = cursorTick; tick <= last; tick++) {
                int slot = (int) tick & MASK;
                if ((occupied[slot >>> 6] & (1L << slot)) == 0) {
                    continue;
                }
                int from = n;
                n = takeBucket(slot, tick == nowTick ? nowNs : Long.MAX_VALUE, n);
                sortBucket(from, n, tick << TICK_SHIFT);
            }
        }
        if (nowTick > cursorTick) {
            cursorTick = nowTick;
        }
        // the wheel's due entries are sorted (buckets in tick order, each sorted); the heap's come
        // out sorted too: merge the two runs
        int wheelDue = n;
        TimerEntry e;
        while ((e = heap.pollDue(nowNs)) != null) {
            n = append(e, n);
        }
        if (wheelDue > 0 && n > wheelDue) {
            Arrays.sort(due, 0, n, TimerEntry::compare);
        }
        long late = n > 0 ? nowNs - due[0].whenNs : -1;
        for (int i = 0; i < n; i++) {
            ready.add(due[i]);
            due[i] = null;
        }
        return late;
    }

    /**
     * Sorts the entries due from one bucket, {@code due[from, to)}, by (deadline, sequence). A
     * bucket holds one tick's entries in scheduling order, so the sequence is the position: the
     * key is the offset of the deadline in the tick, then the position, sorted as primitives.
     */
    private void sortBucket(int from, int to, long baseNs) {
        int count = to - from;
        if (count < 2) {
            return;
        }
        if (keys.length < count) {
            keys = new long[Math.max(count, keys.length * 2)];
            scratch = new TimerEntry[keys.length];
        }
        for (int i = 0; i < count; i++) {
            long offset = due[from + i].whenNs - baseNs;
            if (offset < 0 || offset >= (1L << TICK_SHIFT) || count >= (1 << 24)) {
                // an entry placed here because its deadline had already passed: compare exactly
                Arrays.sort(due, from, to, TimerEntry::compare);
                return;
            }
            keys[i] = (offset << 24) | i;
        }
        Arrays.sort(keys, 0, count);
        System.arraycopy(due, from, scratch, 0, count);
        for (int i = 0; i < count; i++) {
            due[from + i] = scratch[(int) (keys[i] & 0xFFFFFF)];
        }
        Arrays.fill(scratch, 0, count, null);
    }

    /** Moves the due live entries of a bucket to {@code due}, keeping those due later. */
    private int takeBucket(int slot, long limitNs, int n) {
        TimerEntry[] b = buckets[slot];
        int count = counts[slot];
        int kept = 0;
        for (int k = 0; k < count; k++) {
            TimerEntry x = b[k];
            b[k] = null;
            if (x.timerState == TimerEntry.CANCELLED_IN_WHEEL) {
                x.timerState = TimerEntry.IDLE;
                wheelEntries--;
                wheelCancelled--;
            } else if (x.whenNs <= limitNs) {
                x.timerState = TimerEntry.IDLE;
                wheelEntries--;
                n = append(x, n);
            } else {
                b[kept++] = x;
            }
        }
        counts[slot] = kept;
        if (kept == 0) {
            occupied[slot >>> 6] &= ~(1L << slot);
            if (b.length > 256) {
                buckets[slot] = null; // give a burst's memory back
            }
        }
        return n;
    }

    private void clearBucket(int slot) {
        takeBucket(slot, Long.MIN_VALUE, 0);
    }

    private int append(TimerEntry e, int n) {
        if (n == due.length) {
            due = Arrays.copyOf(due, n * 2);
        }
        due[n] = e;
        return n + 1;
    }

    void clear() {
        for (int slot = 0; slot < SLOTS; slot++) {
            TimerEntry[] b = buckets[slot];
            for (int k = 0, n = counts[slot]; k < n; k++) {
                b[k].timerState = TimerEntry.IDLE;
                b[k] = null;
            }
            counts[slot] = 0;
        }
        Arrays.fill(occupied, 0);
        wheelEntries = 0;
        wheelCancelled = 0;
        heap.clear();
    }
}
