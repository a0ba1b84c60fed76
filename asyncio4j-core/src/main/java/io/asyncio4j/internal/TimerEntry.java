package io.asyncio4j.internal;

/**
 * Something due at a time on the loop's clock: a node of the {@link TimerHeap} that knows its own
 * index there (so it can be removed in O(log n)), then an entry of the ready queue once due.
 * Touched only by the loop thread.
 */
abstract class TimerEntry implements Runnable {
    /** Deadline, nanoseconds on the loop's clock. */
    long whenNs;
    /** Tie-breaker: equal deadlines fire in scheduling order. */
    long seq;
    /** Index in the heap, or -1 when not in it. */
    int heapIndex = -1;

    final boolean inHeap() {
        return heapIndex >= 0;
    }
}
