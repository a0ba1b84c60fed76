package io.asyncio4j.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The handshake that wakes a loop blocked in its selector, at most once per burst of entries from
 * other threads. The consumer (the loop) announces that it is about to block, then looks at the
 * inbox again; a producer adds its entry, then wakes the selector only if it can take the
 * announcement back (a CAS from true to false). Either the consumer sees the entry and does not
 * block, or the producer sees the announcement and wakes it: with both sides' volatile accesses
 * (a Dekker pattern), neither can miss the other. The jcstress tests of asyncio4j-jcstress check
 * exactly that.
 */
final class WakeupHandshake {
    private static final VarHandle NEEDS_WAKEUP;

    static {
        try {
            NEEDS_WAKEUP = MethodHandles.lookup().findVarHandle(WakeupHandshake.class, "needsWakeup", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through NEEDS_WAKEUP
    private volatile boolean needsWakeup;

    /**
     * The consumer is about to block: announces it and looks at the inbox once more.
     *
     * @param inbox the inbox
     * @return whether it may block (the inbox is still empty)
     */
    boolean prepareToBlock(Inbox inbox) {
        NEEDS_WAKEUP.setVolatile(this, true);
        return inbox.isEmpty();
    }

    /** The consumer is awake again (woken, timed out, or it did not block). */
    void awake() {
        NEEDS_WAKEUP.setVolatile(this, false);
    }

    /**
     * A producer added an entry: tells whether it must wake the consumer, claiming the wake-up
     * so that the rest of the burst does not wake it again.
     *
     * @return whether to wake the consumer's selector
     */
    boolean claimWakeup() {
        return (boolean) NEEDS_WAKEUP.getVolatile(this) && NEEDS_WAKEUP.compareAndSet(this, true, false);
    }
}
