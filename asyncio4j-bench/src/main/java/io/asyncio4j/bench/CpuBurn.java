package io.asyncio4j.bench;

/**
 * A fixed amount of CPU work per request, for the scaling figure: rounds of a 64-bit mixing
 * function whose count is calibrated once so that they take the asked time on an idle core. The
 * same rounds take longer when the core is shared: that is the point (the work is fixed, not the
 * time).
 */
final class CpuBurn {
    /** Keeps the JIT from dropping the work. */
    private static volatile long sink;

    private CpuBurn() {
    }

    /**
     * Finds how many rounds take {@code micros} microseconds here (the best of several timings).
     *
     * @param micros the time one burn should take on an idle core
     * @return the rounds
     */
    static long roundsFor(int micros) {
        long probe = 1 << 16;
        for (int i = 0; i < 50; i++) {
            burn(probe); // warm-up: compiled before it is timed
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            burn(probe);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return Math.max(1, probe * micros * 1000L / Math.max(1, best));
    }

    /**
     * Runs the rounds.
     *
     * @param rounds how many
     */
    static void burn(long rounds) {
        long x = sink + 0x9E3779B97F4A7C15L;
        for (long i = 0; i < rounds; i++) {
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 29;
        }
        sink = x;
    }
}
