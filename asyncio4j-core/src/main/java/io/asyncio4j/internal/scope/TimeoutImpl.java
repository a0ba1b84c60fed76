package io.asyncio4j.internal.scope;

import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.internal.Durations;
import java.time.Duration;
import java.util.OptionalLong;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;

/** The one implementation of {@link Timeout}; see {@link ScopeImpl} for how expiry is delivered. */
public final class TimeoutImpl extends ScopeImpl implements Timeout {
    private boolean expired;

    private TimeoutImpl(EventLoopImpl loop) {
        super(loop, false);
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
        TimeoutImpl s = new TimeoutImpl(t.loop());
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
        if (phase != Phase.ENTERED || expired) {
            return;
        }
        expired = true;
        cancelCalled = true;
        task.cancelForScope(this);
    }

    @Override
    public Throwable delivery() {
        TimeoutError e = new TimeoutError("timed out", this, loop.newCancelledError(null));
        lastDelivered = e;
        return e;
    }

    @Override
    public OptionalLong when() {
        return hasDeadline ? OptionalLong.of(deadlineNs) : OptionalLong.empty();
    }

    private void checkActive() {
        if (phase == Phase.NEW) {
            throw new IllegalStateException("Timeout has not been entered");
        }
        if (phase == Phase.EXITED) {
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
        arm(Durations.deadlineAfter(loop.time(), delay));
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
        if (phase != Phase.ENTERED) {
            throw new IllegalStateException(phase == Phase.NEW ? "Timeout has not been entered" : "Timeout already closed");
        }
        pop(Phase.EXITED);
        disarm();
        if (expired) {
            task.uncancel();
        }
    }

    @Override
    public String toString() {
        String state = phase == Phase.NEW ? "created" : phase == Phase.EXITED ? "finished" : expired ? "expired" : "active";
        return "<Timeout " + state + (hasDeadline ? " when=" + deadlineNs : "") + ">";
    }
}
