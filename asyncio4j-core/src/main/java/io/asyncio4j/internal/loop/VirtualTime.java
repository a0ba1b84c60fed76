package io.asyncio4j.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Implementation overview
 *
 * The time is one long, `now`, written by whoever advances it (the loop thread on an autojump, a
 * test's thread on advance()) and read by the loop; a VarHandle keeps the reads and writes
 * atomic and ordered. The clock serves one loop at a time (`loop`): advancing it from another
 * thread wakes that loop, so timers that became due run.
 *
 * Autojump (trio's MockClock): when the loop would block with only timers pending — nothing
 * ready, no call in flight on its executor — it first polls for `thresholdNs` of real time, so
 * that I/O and calls from other threads can arrive; if none did, the clock jumps to the nearest
 * deadline. A negative threshold means no autojump: time moves only by advance().
 */

/** A clock that moves only when told to, or when its loop has nothing else to do. */
public final class VirtualTime implements LoopClock {
    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findVarHandle(VirtualTime.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through NOW
    private volatile long now;
    private final long thresholdNs;
    private volatile EventLoopImpl loop;
    private volatile long jumps;

    /**
     * Creates a clock at time zero.
     *
     * @param thresholdNs how long the loop must stay idle in real time before the clock jumps to
     *     its next deadline; negative for no autojump
     */
    public VirtualTime(long thresholdNs) {
        this.thresholdNs = thresholdNs;
    }

    @Override
    public long nanoTime() {
        return (long) NOW.getVolatile(this);
    }

    @Override
    public VirtualTime virtual() {
        return this;
    }

    /** {@return the real idle time before an autojump, or a negative number for none} */
    public long thresholdNs() {
        return thresholdNs;
    }

    /** {@return how many times the clock jumped to a deadline by itself} */
    public long jumps() {
        return jumps;
    }

    /**
     * Moves the clock forward and wakes its loop. Any thread.
     *
     * @param deltaNs how far, not negative
     */
    public void advance(long deltaNs) {
        if (deltaNs < 0) {
            throw new IllegalArgumentException("a clock cannot go back: " + deltaNs + " ns");
        }
        long t;
        do {
            t = (long) NOW.getVolatile(this);
        } while (!NOW.compareAndSet(this, t, saturatedAdd(t, deltaNs)));
        EventLoopImpl l = loop;
        if (l != null && !l.isClosed() && !l.onLoopThread()) {
            l.wakeUp();
        }
    }

    /** The loop found nothing to do but wait for a timer at {@code deadlineNs}: jump there. */
    void jumpTo(long deadlineNs) {
        long t = (long) NOW.getVolatile(this);
        if (deadlineNs > t && NOW.compareAndSet(this, t, deadlineNs)) {
            jumps++;
        }
    }

    /** Binds the clock to the loop it drives. */
    void attach(EventLoopImpl l) {
        EventLoopImpl current = loop;
        if (current != null && current != l && !current.isClosed()) {
            throw new IllegalStateException("this virtual clock already drives " + current
                    + ": use one clock per loop");
        }
        loop = l;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "<VirtualTime now=" + nanoTime() + "ns" + (thresholdNs >= 0 ? " autojump" : "") + ">";
    }
}
