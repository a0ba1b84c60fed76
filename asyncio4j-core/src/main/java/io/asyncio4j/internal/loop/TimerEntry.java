package io.asyncio4j.internal.loop;

/**
 * Something due at a time on the loop's clock: an entry of the loop's {@link Timers}, then of the
 * ready queue once due. An entry is scheduled at most once at a time; to move a deadline, cancel
 * the entry and schedule a new one. Touched only by the loop thread.
 */
public abstract class TimerEntry implements Runnable {
    static final byte IDLE = 0;
    static final byte IN_HEAP = 1;
    static final byte IN_WHEEL = 2;
    static final byte CANCELLED_IN_HEAP = 3;
    static final byte CANCELLED_IN_WHEEL = 4;

    /** Deadline, nanoseconds on the loop's clock. */
    long whenNs;
    /** Tie-breaker: equal deadlines fire in scheduling order. */
    long seq;
    /** Where the entry is scheduled, and whether it was cancelled there. */
    byte timerState = IDLE;

    /** Creates an entry whose deadline is set later, before it is scheduled. */
    protected TimerEntry() {
    }

    /**
     * Creates an entry due at a time.
     *
     * @param whenNs the deadline on the loop's clock
     */
    protected TimerEntry(long whenNs) {
        this.whenNs = whenNs;
    }

    /** {@return the deadline on the loop's clock} */
    public final long whenNs() {
        return whenNs;
    }

    static int compare(TimerEntry a, TimerEntry b) {
        if (a.whenNs != b.whenNs) {
            return a.whenNs < b.whenNs ? -1 : 1;
        }
        return Long.compare(a.seq, b.seq);
    }
}
