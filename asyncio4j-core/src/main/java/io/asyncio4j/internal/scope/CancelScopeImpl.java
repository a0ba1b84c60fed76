package io.asyncio4j.internal.scope;

import io.asyncio4j.CancelScope;
import io.asyncio4j.CancelScopeBody;
import io.asyncio4j.CancelledError;
import java.util.OptionalLong;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;

/** The one implementation of {@link CancelScope}: Trio's cancel scopes, with a deadline or a shield. */
public final class CancelScopeImpl extends ScopeImpl implements CancelScope {
    private boolean cancelledCaught;
    /** Every cancellation this scope threw: any of them may be the one leaving the body. */
    private final java.util.IdentityHashMap<Throwable, Boolean> delivered = new java.util.IdentityHashMap<>();

    private CancelScopeImpl(EventLoopImpl loop, boolean shield) {
        super(loop, shield);
    }

    private static TaskImpl<?> requireTask(String what) {
        TaskImpl<?> t = TaskImpl.current();
        if (t == null) {
            throw new IllegalStateException(what + " must be used inside a task");
        }
        return t;
    }

    /**
     * Opens a scope that shields its block from cancellation from outside; for try-with-resources.
     *
     * @return the entered scope
     */
    public static CancelScopeImpl openShielded() {
        TaskImpl<?> t = requireTask("shieldedScope()");
        CancelScopeImpl s = new CancelScopeImpl(t.loop(), true);
        s.push(t);
        return s;
    }

    /**
     * Runs a body in a scope with a deadline and absorbs the scope's own cancellation
     * (Trio's {@code move_on_at}).
     *
     * @param whenNs the deadline on the loop's clock
     * @param body the body
     * @return the finished scope
     */
    public static CancelScopeImpl moveOnAt(long whenNs, CancelScopeBody body) {
        TaskImpl<?> t = requireTask("moveOnAfter()/moveOnAt()");
        CancelScopeImpl s = new CancelScopeImpl(t.loop(), false);
        s.push(t);
        s.arm(whenNs);
        try {
            body.run(s);
        } catch (CancelledError e) {
            if (!(s.cancelCalled && s.delivered.containsKey(e))) {
                throw e;
            }
            s.cancelledCaught = true;
        } catch (Throwable e) {
            throw Sneaky.rethrow(e);
        } finally {
            s.disarm();
            if (s.phase == Phase.ENTERED) {
                s.pop(Phase.EXITED);
            }
        }
        return s;
    }

    @Override
    String kind() {
        return shield ? "shielded scope" : "cancel scope";
    }

    @Override
    void onDeadline() {
        cancel();
    }

    @Override
    public Throwable delivery() {
        CancelledError e = loop.newCancelledError("cancel scope cancelled");
        lastDelivered = e;
        delivered.put(e, Boolean.TRUE);
        return e;
    }

    @Override
    public void cancel() {
        if (phase == Phase.EXITED || cancelCalled) {
            return;
        }
        cancelCalled = true;
        if (phase == Phase.ENTERED) {
            task.interruptForScope(this);
        }
    }

    @Override
    public boolean cancelCalled() {
        return cancelCalled;
    }

    @Override
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    @Override
    public boolean isShielded() {
        return shield;
    }

    @Override
    public OptionalLong deadline() {
        return hasDeadline ? OptionalLong.of(deadlineNs) : OptionalLong.empty();
    }

    @Override
    public void close() {
        if (phase == Phase.ENTERED) {
            disarm();
            pop(Phase.EXITED);
        }
    }

    @Override
    public String toString() {
        return "<CancelScope" + (shield ? " shielded" : "") + (cancelCalled ? " cancelled" : "")
                + (cancelledCaught ? " caught" : "") + ">";
    }
}
