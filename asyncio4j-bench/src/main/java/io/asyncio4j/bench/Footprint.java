package io.asyncio4j.bench;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * What a suspended task costs in memory, measured at the peak of the {@code spawn} workload: n
 * tasks created, each suspended in {@code sleep(0)}, none finished. Prints the live bytes per task
 * (heap after a full collection, less the heap before the tasks were created), the bytes
 * allocated per task while creating and suspending them, and the class histogram of the live set
 * divided by n (the classes of at least 0.5 B per task): {@code ./asyncio4j bench footprint [N]}.
 */
final class Footprint {
    private Footprint() {
    }

    static void main(int n, boolean floor) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (floor) {
            Thread.ofVirtual().start(Thread::onSpinWait).join(); // as FloorWorkloads does
            floorRound(Math.max(1, n / 10), threads, false);
            floorRound(n, threads, true);
            return;
        }
        Asyncio.run(() -> {
            round(Math.max(1, n / 10), threads, false); // warm-up: the JIT's frames are the ones measured
            round(n, threads, true);
            return null;
        });
    }

    private static void round(int n, com.sun.management.ThreadMXBean threads, boolean report) throws Exception {
        System.gc();
        long before = usedHeap();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        List<Task<Integer>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            tasks.add(createTask(() -> {
                sleep(Duration.ZERO);
                return index;
            }));
        }
        sleep(Duration.ZERO); // every task runs its first step and suspends in sleep(0) behind this one
        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        System.gc();
        long live = usedHeap() - before;
        String histogram = report ? histogram(n) : "";
        long sum = 0;
        for (int v : await(gather(tasks))) {
            sum += v;
        }
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum " + sum);
        }
        if (report) {
            // the list of tasks (4 B a reference) is the benchmark's own, as in spawn
            System.out.printf(Locale.ROOT, "{\"workload\":\"footprint\",\"impl\":\"asyncio4j\",\"n\":%d,"
                    + "\"live_bytes_per_task\":%.1f,\"allocated_bytes_per_task\":%.1f,\"classes\":{%s},\"ok\":true}%n",
                    n, (double) live / n, (double) allocated / n, histogram);
        }
    }

    /** The same on bare virtual threads (FloorWorkloads' scheduler): each started and yielded once. */
    private static void floorRound(int n, com.sun.management.ThreadMXBean threads, boolean report) throws Exception {
        FloorWorkloads.FifoCarrier carrier = new FloorWorkloads.FifoCarrier();
        Thread.Builder.OfVirtual b = FloorWorkloads.builder(carrier);
        long[] sum = {0};
        Exception[] failed = {null};
        b.start(() -> {
            try {
                System.gc();
                long before = usedHeap();
                long allocatedBefore = threads.getTotalThreadAllocatedBytes();
                List<Thread> started = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    started.add(b.start(() -> {
                        Thread.yield();
                        sum[0] += index;
                    }));
                }
                Thread.yield(); // every thread runs its first step and yields behind this one
                long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
                System.gc();
                long live = usedHeap() - before;
                String histogram = report ? histogram(n) : "";
                for (Thread t : started) {
                    t.join();
                }
                if (report) {
                    System.out.printf(Locale.ROOT, "{\"workload\":\"footprint\",\"impl\":\"jdk-virtual-threads-floor\","
                            + "\"n\":%d,\"live_bytes_per_task\":%.1f,\"allocated_bytes_per_task\":%.1f,\"classes\":{%s},"
                            + "\"ok\":true}%n", n, (double) live / n, (double) allocated / n, histogram);
                }
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        carrier.drain();
        if (failed[0] != null) {
            throw failed[0];
        }
        if (sum[0] != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum " + sum[0]);
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The live classes with at least half a byte per task, from the JVM's own class histogram. */
    private static String histogram(int n) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // num: #instances #bytes class name (module)
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            double perTask = Long.parseLong(f[2]) / (double) n;
            if (perTask < 0.5) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(String.format(Locale.ROOT, "\"%s\":[%.2f,%.1f]", f[3], Long.parseLong(f[1]) / (double) n, perTask));
        }
        return out.toString();
    }
}
