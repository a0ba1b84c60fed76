package io.asyncio4j.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop lag's histogram: percentiles within one bucket (12.5 %) of the exact ones. */
class LagHistogramTest {

    @Test
    void percentilesAreAtMostAnEighthAboveTheExactOnesAndNeverBelow() {
        LagHistogram h = new LagHistogram();
        SplittableRandom r = new SplittableRandom(7);
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * 20); // 1 ns to 0.5 s, log-uniform
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double f : new double[] {0.01, 0.5, 0.9, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(f * values.length) - 1];
            long got = h.percentile(f);
            assertTrue(got >= exact && got <= exact + exact / 8 + 1, f + ": " + got + " for " + exact);
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values[values.length - 1], h.percentile(1.0));
        assertEquals(values.length, h.samples());
    }

    @Test
    void everyValueFallsInABucketWhoseBoundsHoldIt() {
        for (long v : new long[] {0, 1, 7, 8, 9, 15, 16, 17, 1_000, 1_000_000, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
            int b = LagHistogram.bucket(v);
            assertTrue(LagHistogram.upperBound(b) >= v, v + " in bucket " + b);
            assertTrue(b == 0 || LagHistogram.upperBound(b - 1) < v, v + " in bucket " + b);
        }
    }

    @Test
    void anEmptyHistogramReportsZeroAndNegativeLagCountsAsZero() {
        LagHistogram h = new LagHistogram();
        assertEquals(0, h.percentile(0.99));
        h.record(-5);
        assertEquals(0, h.max());
        assertEquals(1, h.samples());
    }
}
