package io.asyncio4j.internal.loop;

import io.asyncio4j.internal.task.FutureImpl;

/**
 * The loop's FIFO of ready entries, touched only by the loop thread: a growable ring, no
 * allocation per entry, used slots nulled so finished work can be collected. An entry is a
 * {@link Runnable}, or a {@link FutureImpl} whose done callbacks are due.
 */
final class ReadyQueue {
    private Object[] ring = new Object[256];
    private int mask = ring.length - 1;
    private int head;
    private int tail;

    int size() {
        return tail - head;
    }

    boolean isEmpty() {
        return head == tail;
    }

    void add(Object r) {
        if (tail - head == ring.length) {
            grow();
        }
        ring[tail++ & mask] = r;
    }

    /** Puts an entry in front of all others: it runs next. */
    void addFirst(Object r) {
        if (tail - head == ring.length) {
            grow();
        }
        ring[--head & mask] = r;
    }

    Object poll() {
        if (head == tail) {
            return null;
        }
        int i = head++ & mask;
        Object r = ring[i];
        ring[i] = null;
        return r;
    }

    /** Inserts an entry after the first one. */
    void addSecond(Object r) {
        Object first = poll();
        addFirst(r);
        if (first != null) {
            addFirst(first);
        }
    }

    void clear() {
        while (poll() != null) {
            // drop
        }
    }

    private void grow() {
        Object[] bigger = new Object[ring.length * 2];
        int n = tail - head;
        for (int i = 0; i < n; i++) {
            bigger[i] = ring[(head + i) & mask];
        }
        ring = bigger;
        mask = bigger.length - 1;
        head = 0;
        tail = n;
    }
}
