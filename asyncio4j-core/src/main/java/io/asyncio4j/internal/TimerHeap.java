package io.asyncio4j.internal;

/**
 * A 4-ary min-heap of {@link TimerEntry}s ordered by deadline, then by scheduling sequence. Each
 * entry stores its index, so {@link #remove} is O(log n) and the heap never holds cancelled
 * entries; a 4-ary layout halves the depth of a binary heap and keeps siblings in one cache line.
 */
final class TimerHeap {
    private TimerEntry[] heap = new TimerEntry[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerEntry peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimerEntry e) {
        if (size == heap.length) {
            TimerEntry[] bigger = new TimerEntry[heap.length * 2];
            System.arraycopy(heap, 0, bigger, 0, size);
            heap = bigger;
        }
        siftUp(size++, e);
    }

    TimerEntry poll() {
        if (size == 0) {
            return null;
        }
        TimerEntry top = heap[0];
        top.heapIndex = -1;
        TimerEntry last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
        return top;
    }

    /** Removes an entry that is in the heap; returns false if it was not. */
    boolean remove(TimerEntry e) {
        int i = e.heapIndex;
        if (i < 0 || i >= size || heap[i] != e) {
            return false;
        }
        e.heapIndex = -1;
        TimerEntry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            siftDown(i, last);
            if (heap[i] == last) {
                siftUp(i, last);
            }
        }
        return true;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private static boolean less(TimerEntry a, TimerEntry b) {
        return a.whenNs < b.whenNs || (a.whenNs == b.whenNs && a.seq < b.seq);
    }

    private void siftUp(int i, TimerEntry e) {
        TimerEntry[] h = heap;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            TimerEntry p = h[parent];
            if (!less(e, p)) {
                break;
            }
            h[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        h[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i, TimerEntry e) {
        TimerEntry[] h = heap;
        int n = size;
        while (true) {
            int first = (i << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            TimerEntry b = h[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                TimerEntry x = h[c];
                if (less(x, b)) {
                    b = x;
                    best = c;
                }
            }
            if (!less(b, e)) {
                break;
            }
            h[i] = b;
            b.heapIndex = i;
            i = best;
        }
        h[i] = e;
        e.heapIndex = i;
    }
}
