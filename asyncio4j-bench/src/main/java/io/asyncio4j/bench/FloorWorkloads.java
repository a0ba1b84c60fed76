package io.asyncio4j.bench;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under asyncio4j's {@code spawn} and {@code pingpong}: the same work on bare virtual
 * threads scheduled the way asyncio4j's fast path schedules its tasks (the JDK's
 * {@code VirtualThreadBuilder(Executor)} constructor, on one platform thread running a FIFO
 * queue), with no library at all. What asyncio4j adds over these is the library's share, which
 * issue 16 wants halved; the JDK's part (the continuation's yield and resume, the virtual
 * thread's state machine) stays.
 *
 * <pre>
 *   ./asyncio4j bench floor-pingpong [N]   two threads alternate with Thread.yield(): N round trips
 *   ./asyncio4j bench floor-spawn [N]      a parent starts N threads that each yield once, then joins them
 * </pre>
 *
 * Each runs a warm-up round at N/10 and prints one JSON line, as the other workloads do. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the launcher passes it).
 */
final class FloorWorkloads {
    private FloorWorkloads() {
    }

    /** A one-thread FIFO scheduler: what asyncio4j's loop is to its tasks, without the loop. */
    static final class FifoCarrier implements Executor {
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private final Thread thread = Thread.currentThread();

        @Override
        public void execute(Runnable r) {
            if (Thread.currentThread() != thread && !Thread.currentThread().isVirtual()) {
                throw new IllegalStateException("a floor benchmark's threads run on its one carrier");
            }
            queue.add(r);
        }

        /** Runs queued continuations until none is left. */
        void drain() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        }
    }

    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> k = c.getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            return (Thread.Builder.OfVirtual) k.newInstance(scheduler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the floor benchmarks need --add-opens java.base/java.lang=ALL-UNNAMED", e);
        }
    }

    /** Two virtual threads on one FIFO carrier, each yielding n times: n round trips, 2n switches. */
    static double pingpong(int n) {
        FifoCarrier carrier = new FifoCarrier();
        Thread.Builder.OfVirtual b = builder(carrier);
        int[] rounds = new int[2];
        long t0 = System.nanoTime();
        for (int side = 0; side < 2; side++) {
            int me = side;
            b.start(() -> {
                for (int i = 0; i < n; i++) {
                    rounds[me]++;
                    Thread.yield(); // to the back of the FIFO: the other thread runs next
                }
            });
        }
        carrier.drain();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rounds[0] != n || rounds[1] != n) {
            throw new AssertionError("floor pingpong ran " + rounds[0] + " and " + rounds[1] + " of " + n);
        }
        return seconds;
    }

    /** A parent virtual thread starts n threads that each yield once and add their index, then waits for all. */
    static double spawn(int n) {
        FifoCarrier carrier = new FifoCarrier();
        Thread.Builder.OfVirtual b = builder(carrier);
        long[] sum = {0};
        int[] left = {n};
        double[] seconds = {0};
        b.start(() -> {
            Thread parent = Thread.currentThread();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int index = i;
                b.start(() -> {
                    Thread.yield();
                    sum[0] += index;
                    if (--left[0] == 0) {
                        LockSupport.unpark(parent);
                    }
                });
            }
            while (left[0] > 0) {
                LockSupport.park();
            }
            seconds[0] = (System.nanoTime() - t0) / 1e9;
        });
        carrier.drain();
        if (sum[0] != (long) n * (n - 1) / 2) {
            throw new AssertionError("floor spawn summed " + sum[0]);
        }
        return seconds[0];
    }

    /**
     * Runs one floor workload: a warm-up round, the measured round, one JSON line.
     *
     * @param name {@code floor-pingpong} or {@code floor-spawn}
     * @param n the size
     */
    static void main(String name, int n) throws InterruptedException {
        // as asyncio4j's Drivers does before its first task: one virtual thread run to its end, so
        // that the JIT compiles VirtualThread.run with its exit path resolved (otherwise every
        // thread frozen in that compiled frame deoptimizes when it exits, one by one)
        Thread.ofVirtual().start(Thread::onSpinWait).join();
        boolean pingpong = name.equals("floor-pingpong");
        // each round checks itself and throws when its count is wrong
        double warm = pingpong ? pingpong(Math.max(1, n / 10)) : spawn(Math.max(1, n / 10));
        double seconds = pingpong ? pingpong(n) : spawn(n);
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"%s\",\"impl\":\"jdk-virtual-threads-floor\",\"n\":%d,\"seconds\":%.6f,\"rate\":%.1f,"
                        + "\"ok\":true,\"warmup_seconds\":%.6f}%n", name, n, seconds, n / seconds, warm);
        System.out.flush();
    }
}
