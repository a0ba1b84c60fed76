package io.asyncio4j.internal.loop;

/*
 * Implementation overview
 *
 * Loop lag: how late the loop came round to a due timer (the earliest of an iteration's due
 * timers, measured when the timers are collected, on the loop's clock). A fixed log-linear
 * histogram: values below 8 ns exactly, then each power of two split in 8 sub-buckets, so a
 * percentile is the upper bound of its bucket, at most 12.5 % above the true value. Recording is
 * a shift, a leading-zero count and an array increment: cheap enough for every iteration whose
 * timers fire. Loop thread only.
 */

/** The distribution of the loop's lag, for {@code statistics()}. */
final class LagHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Values 0..7 get a bucket each; then (63 - 2) powers of two x 8 sub-buckets. */
    private static final int BUCKETS = SUB + (64 - SUB_BITS) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long samples;
    private long max;

    /** Records one lag, in nanoseconds (negative values count as 0). */
    void record(long ns) {
        long v = Math.max(0, ns);
        counts[bucket(v)]++;
        samples++;
        if (v > max) {
            max = v;
        }
    }

    long samples() {
        return samples;
    }

    long max() {
        return max;
    }

    /**
     * The value below which a fraction of the samples lie, as the upper bound of its bucket.
     *
     * @param fraction between 0 and 1
     * @return nanoseconds, 0 with no sample
     */
    long percentile(double fraction) {
        if (samples == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * samples));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int sub = (int) (v >>> (exp - SUB_BITS)) & (SUB - 1);
        return SUB + (exp - SUB_BITS) * SUB + sub;
    }

    static long upperBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exp = (bucket - SUB) / SUB + SUB_BITS;
        int sub = (bucket - SUB) % SUB;
        long low = (1L << exp) + ((long) sub << (exp - SUB_BITS));
        return low + (1L << (exp - SUB_BITS)) - 1;
    }
}
