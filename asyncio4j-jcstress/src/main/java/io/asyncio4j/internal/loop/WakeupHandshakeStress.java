package io.asyncio4j.internal.loop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** jcstress tests of the loop's inbox and of the handshake that wakes a loop blocked in select. */
public final class WakeupHandshakeStress {
    private WakeupHandshakeStress() {
    }

    /**
     * The loop is about to block while a thread posts an entry: either the loop sees the entry
     * (and does not block) or the producer sees that the loop blocks (and wakes it). A loop that
     * blocks while nobody wakes it (1, 0) would sleep with work in its inbox.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the loop saw the entry and stays awake; no wake-up needed")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the loop saw the entry; a wake-up that finds it awake is harmless")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the loop blocks and the producer wakes it")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "a lost wake-up: the loop blocks with an entry in its inbox")
    @State
    public static class NoLostWakeup {
        final Inbox inbox = new Inbox();
        final WakeupHandshake handshake = new WakeupHandshake();

        /** The loop: announces that it will block, then looks at the inbox again. */
        @Actor
        public void loop(II_Result r) {
            r.r1 = handshake.prepareToBlock(inbox) ? 1 : 0;
        }

        /** A producer: adds an entry, then wakes the loop if it announced a block. */
        @Actor
        public void producer(II_Result r) {
            inbox.add(() -> { });
            r.r2 = handshake.claimWakeup() ? 1 : 0;
        }
    }

    /**
     * Two producers post at once: the consumer, once both are done, takes both entries, each
     * fully built (its Runnable visible), never a half-linked node or a lost one.
     */
    @JCStressTest
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "both entries, complete")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an entry lost, or seen before it was complete")
    @State
    public static class TwoProducersPublishBoth {
        final Inbox inbox = new Inbox();

        /** The first producer. */
        @Actor
        public void first() {
            inbox.add(() -> { });
        }

        /** The second producer. */
        @Actor
        public void second() {
            inbox.add(() -> { });
        }

        /** The consumer, after both: counts the complete entries. */
        @Arbiter
        public void consumer(I_Result r) {
            int n = 0;
            Runnable x;
            while ((x = inbox.poll()) != null) {
                n++;
            }
            r.r1 = n;
        }
    }

    /**
     * A producer posts while the consumer drains: whatever the consumer took while the producer
     * ran, plus what is left afterwards, is exactly the one entry.
     */
    @JCStressTest
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the entry is taken exactly once")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost or taken twice")
    @State
    public static class PollWhileAdding {
        final Inbox inbox = new Inbox();
        int taken;

        /** The producer. */
        @Actor
        public void producer() {
            inbox.add(() -> { });
        }

        /** The consumer, concurrently. */
        @Actor
        public void consumer() {
            if (inbox.poll() != null) {
                taken++;
            }
        }

        /** What is left, after both. */
        @Arbiter
        public void rest(I_Result r) {
            while (inbox.poll() != null) {
                taken++;
            }
            r.r1 = taken;
        }
    }
}
