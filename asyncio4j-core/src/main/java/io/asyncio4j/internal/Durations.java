package io.asyncio4j.internal;

import java.time.Duration;

/**
 * The one conversion of the API's {@link Duration}s to the runtime's nanoseconds. It saturates:
 * a duration too long for a {@code long} of nanoseconds (about 292 years) becomes "never", a
 * deadline past the end of the clock stays at its end, and nothing overflows into the past.
 */
public final class Durations {
    /** A deadline that never comes; far enough from both ends that adding a little is safe. */
    public static final long NEVER_NS = Long.MAX_VALUE / 2;

    private Durations() {
    }

    /**
     * Converts a duration to nanoseconds, saturating.
     *
     * @param d the duration
     * @return its nanoseconds, at most {@link #NEVER_NS} and at least {@code -NEVER_NS}
     */
    public static long toNanos(Duration d) {
        long s = d.getSeconds();
        if (s >= NEVER_NS / 1_000_000_000L) {
            return NEVER_NS;
        }
        if (s <= -NEVER_NS / 1_000_000_000L) {
            return -NEVER_NS;
        }
        return s * 1_000_000_000L + d.getNano();
    }

    /**
     * Returns the instant {@code delay} after {@code nowNs}, saturating at {@link #NEVER_NS}.
     *
     * @param nowNs the current time on the loop's clock
     * @param delay the delay; a negative one gives a deadline in the past
     * @return the deadline
     */
    public static long deadlineAfter(long nowNs, Duration delay) {
        long d = toNanos(delay);
        long r = nowNs + d;
        if (((nowNs ^ r) & (d ^ r)) < 0) {
            return d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // overflowed: the end of the clock
        }
        return r;
    }
}
