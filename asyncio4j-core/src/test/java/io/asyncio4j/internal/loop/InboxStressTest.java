package io.asyncio4j.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inbox under load: eight producers on platform threads, and the wake-up handshake at the
 * moment the loop decides to block. (The handshake's memory-model argument is checked by the
 * jcstress tests of asyncio4j-jcstress; this checks the real loop end to end.)
 */
@Timeout(300)
class InboxStressTest {
    private static final int PRODUCERS = 8;
    private static final int PER_PRODUCER = 250_000;

    @Test
    void eightProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        EventLoopImpl loop = new EventLoopImpl();
        int[] last = new int[PRODUCERS];
        java.util.Arrays.fill(last, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        int[] ran = {0};
        Future<Void> done = loop.createFuture();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            producers[p] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < PER_PRODUCER; i++) {
                    int seq = i;
                    loop.callSoonThreadsafe(() -> {
                        if (last[id] != seq - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        last[id] = seq;
                        if (++ran[0] == PRODUCERS * PER_PRODUCER) {
                            done.setResult(null);
                        }
                    });
                    if ((i & 1023) == 0) {
                        Thread.yield(); // let the loop drain and block now and then
                    }
                }
            });
        }
        loop.callSoon(go::countDown);
        loop.runUntilComplete(done);
        for (Thread t : producers) {
            t.join();
        }
        loop.close();
        assertEquals(PRODUCERS * PER_PRODUCER, ran[0]);
        assertEquals(0, outOfOrder.get(), "a producer's callbacks ran out of order");
    }

    @Test
    void aCallPostedJustAsTheLoopBlocksAlwaysWakesIt() throws Exception {
        EventLoopImpl loop = new EventLoopImpl();
        int rounds = 20_000;
        AtomicInteger round = new AtomicInteger();
        Future<Void> done = loop.createFuture();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds; i++) {
                int expected = i;
                // wait until the loop ran the previous round, then post at once: the loop is
                // somewhere between draining its inbox and blocking in select()
                while (round.get() != expected) {
                    Thread.onSpinWait();
                }
                loop.callSoonThreadsafe(() -> {
                    if (round.incrementAndGet() == rounds) {
                        done.setResult(null);
                    }
                });
            }
        });
        long t0 = System.nanoTime();
        loop.runUntilComplete(done); // a lost wake-up would leave the loop asleep: the test times out
        producer.join();
        loop.close();
        assertEquals(rounds, round.get());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120), "no wake-up was lost for long");
    }
}
