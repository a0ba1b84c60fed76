package io.asyncio4j.internal;

import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.OptionalLong;

/** The one implementation of {@link Timeout}; see {@link ScopeImpl} for how expiry is delivered. */
public final class TimeoutImpl extends ScopeImpl implements Timeout {
    private boolean expired;

    private TimeoutImpl(EventLoopImpl loop) {
        super(loop);
    }

    /**
     * Opens a timeout scope in the current task.
     *
     * @param whenNs the deadline on the loop's clock
     * @param hasDeadline whether there is a deadline at all
     * @return the entered scope
     */
    public static TimeoutImpl open(long whenNs, boolean hasDeadline) {
        TaskImpl<?> t = TaskImpl.current();
        if (t == null) {
            throw new IllegalStateException("Timeout should be used inside a task");
        }
        TimeoutImpl s = new TimeoutImpl(t.loop);
        s.push(t);
        if (hasDeadline) {
            s.arm(whenNs);
        }
        return s;
    }

    @Override
    String kind() {
        return "Timeout";
    }

    @Override
    void onDeadline() {
        if (phase != ENTERED || expired) {
            return;
        }
        expired = true;
        cancelCalled = true;
        task.cancelRequests++;
        task.interruptForScope(this);
    }

    @Override
    Throwable delivery() {
        TimeoutError e = new TimeoutError("timed out", this, loop.newCancelledError(null));
        lastDelivered = e;
        return e;
    }

    @Override
    public OptionalLong when() {
        return hasDeadline ? OptionalLong.of(deadlineNs) : OptionalLong.empty();
    }

    private void checkActive() {
        if (phase == NEW) {
            throw new IllegalStateException("Timeout has not been entered");
        }
        if (phase == EXITED) {
            throw new IllegalStateException("Cannot change state of finished Timeout");
        }
        if (expired) {
            throw new IllegalStateException("Cannot change state of expiring Timeout");
        }
    }

    @Override
    public void reschedule(long whenNs) {
        checkActive();
        arm(whenNs);
    }

    @Override
    public void rescheduleAfter(Duration delay) {
        checkActive();
        arm(loop.time() + EventLoopImpl.toNanos(delay));
    }

    @Override
    public void removeDeadline() {
        checkActive();
        disarm();
    }

    @Override
    public boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        if (phase != ENTERED) {
            throw new IllegalStateException(phase == NEW ? "Timeout has not been entered" : "Timeout already closed");
        }
        pop();
        disarm();
        if (expired) {
            task.uncancel();
        }
    }

    @Override
    public String toString() {
        String state = phase == NEW ? "created" : phase == EXITED ? "finished" : expired ? "expired" : "active";
        return "<Timeout " + state + (hasDeadline ? " when=" + deadlineNs : "") + ">";
    }
}
