package io.asyncio4j.internal.loop;

import java.util.Arrays;

/*
 * Implementation overview
 *
 * A 4-ary min-heap ordered by (deadline, scheduling sequence), with the keys in parallel primitive
 * arrays: sifting compares contiguous longs and never touches the entry objects, which matters
 * when a million timers are pending and the entries are scattered over the heap. A 4-ary layout
 * halves the depth of a binary heap. Cancellation is lazy: the entry is marked and skipped when
 * it reaches the top; when cancelled entries outnumber live ones the arrays are compacted and
 * re-heapified in O(n), so a workload that cancels most of its timers (timeouts) keeps the heap
 * small. Loop thread only.
 */

/** The loop's pending timers. */
final class TimerHeap {
    private TimerEntry[] nodes = new TimerEntry[64];
    private long[] whens = new long[64];
    private long[] seqs = new long[64];
    private int size;
    private int cancelled;

    /** {@return how many live (not cancelled) timers are pending} */
    int size() {
        return size - cancelled;
    }

    boolean isEmpty() {
        return size == cancelled;
    }

    void add(TimerEntry e) {
        if (size == nodes.length) {
            int n = nodes.length * 2;
            nodes = Arrays.copyOf(nodes, n);
            whens = Arrays.copyOf(whens, n);
            seqs = Arrays.copyOf(seqs, n);
        }
        e.timerState = TimerEntry.IN_HEAP;
        siftUp(size++, e, e.whenNs, e.seq);
    }

    /** {@return the nearest deadline of a live timer, or Long.MAX_VALUE when there is none} */
    long nextDeadline() {
        dropCancelledTop();
        return size == 0 ? Long.MAX_VALUE : whens[0];
    }

    /** {@return the next live timer if it is due at {@code nowNs}, removed from the heap; else null} */
    TimerEntry pollDue(long nowNs) {
        dropCancelledTop();
        if (size == 0 || whens[0] > nowNs) {
            return null;
        }
        TimerEntry top = removeTop();
        top.timerState = TimerEntry.IDLE;
        return top;
    }

    /** Cancels a scheduled entry; returns false if the heap does not hold it. */
    boolean remove(TimerEntry e) {
        if (e.timerState != TimerEntry.IN_HEAP) {
            return false;
        }
        e.timerState = TimerEntry.CANCELLED_IN_HEAP;
        cancelled++;
        if (cancelled > 256 && cancelled * 2 > size) {
            compact();
        }
        return true;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            nodes[i].timerState = TimerEntry.IDLE;
            nodes[i] = null;
        }
        size = 0;
        cancelled = 0;
    }

    private void dropCancelledTop() {
        while (size > 0 && nodes[0].timerState == TimerEntry.CANCELLED_IN_HEAP) {
            TimerEntry e = removeTop();
            e.timerState = TimerEntry.IDLE;
            cancelled--;
        }
    }

    private TimerEntry removeTop() {
        TimerEntry top = nodes[0];
        int last = --size;
        TimerEntry e = nodes[last];
        long w = whens[last];
        long s = seqs[last];
        nodes[last] = null;
        if (last > 0) {
            siftDown(0, e, w, s);
        }
        return top;
    }

    /** Drops the cancelled entries and rebuilds the heap bottom-up. */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            TimerEntry e = nodes[i];
            if (e.timerState == TimerEntry.CANCELLED_IN_HEAP) {
                e.timerState = TimerEntry.IDLE;
            } else {
                nodes[n] = e;
                whens[n] = whens[i];
                seqs[n] = seqs[i];
                n++;
            }
        }
        Arrays.fill(nodes, n, size, null);
        size = n;
        cancelled = 0;
        for (int i = (n - 2) >>> 2; n > 1 && i >= 0; i--) {
            siftDown(i, nodes[i], whens[i], seqs[i]);
        }
    }

    private void siftUp(int i, TimerEntry e, long w, long s) {
        TimerEntry[] nd = nodes;
        long[] wh = whens;
        long[] sq = seqs;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pw = wh[parent];
            if (w > pw || (w == pw && s > sq[parent])) {
                break;
            }
            nd[i] = nd[parent];
            wh[i] = pw;
            sq[i] = sq[parent];
            i = parent;
        }
        nd[i] = e;
        wh[i] = w;
        sq[i] = s;
    }

    private void siftDown(int i, TimerEntry e, long w, long s) {
        TimerEntry[] nd = nodes;
        long[] wh = whens;
        long[] sq = seqs;
        int n = size;
        while (true) {
            int first = (i << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bw = wh[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cw = wh[c];
                if (cw < bw || (cw == bw && sq[c] < sq[best])) {
                    bw = cw;
                    best = c;
                }
            }
            if (bw > w || (bw == w && sq[best] > s)) {
                break;
            }
            nd[i] = nd[best];
            wh[i] = bw;
            sq[i] = sq[best];
            i = best;
        }
        nd[i] = e;
        wh[i] = w;
        sq[i] = s;
    }
}
