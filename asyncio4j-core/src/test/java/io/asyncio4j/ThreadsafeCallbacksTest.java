package io.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** callSoonThreadsafe under load: every callback from every thread runs, in per-thread order. */
class ThreadsafeCallbacksTest {

    @Test
    @Timeout(60)
    void eightThreadsSubmittingAHundredThousandCallbacksEachLoseNoneAndKeepPerThreadOrder() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        int[] next = new int[threads];
        boolean[] outOfOrder = {false};
        EventLoop loop = Asyncio.newEventLoop();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            int id = p;
            producers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.callSoonThreadsafe(() -> {
                        // runs on the loop thread only: plain fields are safe
                        if (next[id] != seq) {
                            outOfOrder[0] = true;
                        }
                        next[id] = seq + 1;
                    });
                }
            }));
        }
        Future<Void> done = loop.createFuture();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            int total = 0;
            for (int n : next) {
                total += n;
            }
            if (total == threads * perThread) {
                done.setResult(null);
            } else {
                loop.callLater(Duration.ofMillis(1), check[0]);
            }
        };
        loop.callSoon(() -> go.countDown());
        loop.callSoon(check[0]);
        loop.runUntilComplete(done);
        for (Thread t : producers) {
            t.join();
        }
        loop.close();
        int[] expected = new int[threads];
        java.util.Arrays.fill(expected, perThread);
        assertArrayEquals(expected, next);
        assertEquals(false, outOfOrder[0], "a thread's callbacks ran out of order");
    }
}
