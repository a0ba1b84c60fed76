package io.asyncio4j.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Future;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop sleeps in the selector when idle, and a burst of cross-thread calls wakes it rarely. */
@Timeout(30)
class LoopWakeupTest {

    @Test
    void anIdleLoopUsesAlmostNoCpuWhileItWaitsForATimer() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        EventLoopImpl loop = new EventLoopImpl();
        AtomicLong cpuNs = new AtomicLong();
        Future<Void> done = loop.createFuture();
        long[] start = new long[1];
        loop.callSoon(() -> start[0] = mx.getCurrentThreadCpuTime());
        loop.callLater(Duration.ofMillis(500), () -> {
            cpuNs.set(mx.getCurrentThreadCpuTime() - start[0]);
            done.setResult(null);
        });
        loop.runUntilComplete(done);
        loop.close();
        assertTrue(cpuNs.get() < 100_000_000L, "the idle loop burnt " + cpuNs.get() / 1e6 + " ms of CPU in 500 ms");
    }

    @Test
    void aBurstOfThreadsafeCallsWakesTheSelectorFarFewerTimesThanItCalls() throws Exception {
        EventLoopImpl loop = new EventLoopImpl();
        int calls = 20_000;
        int[] ran = {0};
        Future<Void> done = loop.createFuture();
        CountDownLatch loopIsWaiting = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                loopIsWaiting.await();
                Thread.sleep(50); // the loop is blocked in select by now
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < calls; i++) {
                loop.callSoonThreadsafe(() -> {
                    if (++ran[0] == calls) {
                        done.setResult(null);
                    }
                });
            }
        });
        loop.callSoon(loopIsWaiting::countDown);
        long before = loop.selectorWakeups();
        loop.runUntilComplete(done);
        producer.join();
        long wakeups = loop.selectorWakeups() - before;
        loop.close();
        assertEquals(calls, ran[0]);
        assertTrue(wakeups >= 1 && wakeups < calls / 20,
                calls + " calls woke the selector " + wakeups + " times: wake-ups are not coalesced");
    }
}
