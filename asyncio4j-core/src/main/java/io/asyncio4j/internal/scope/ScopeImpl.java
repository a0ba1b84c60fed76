package io.asyncio4j.internal.scope;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.TimerEntry;
import io.asyncio4j.internal.task.TaskImpl;

/*
 * Implementation overview
 *
 * A scope is a region of one task: a Timeout, a TaskGroup body, a CancelScope. Active scopes form
 * a chain through `parent`, innermost first, from TaskImpl.scope; entering pushes, leaving pops,
 * strictly LIFO. A cancelled scope (`cancelCalled`) is level-triggered: every suspension point
 * inside it throws `delivery()`, the exception the scope wants to surface at its exit. Java's
 * try-with-resources cannot replace or absorb the exception leaving a block, so the exception is
 * chosen when it is thrown, not converted when it leaves: a Timeout delivers a TimeoutError, a
 * failing TaskGroup its TaskGroupException, a CancelScope a CancelledError that its own runner
 * absorbs. A shielding scope (`shield`) hides cancellation of the scopes outside it and of the
 * task. All fields are touched on the loop thread only.
 *
 *   NEW --push--> ENTERED --pop--> EXITED
 *                    +--pop, children still running (task groups)--> JOINING --last child--> EXITED
 *
 * Entering twice, or leaving a scope that is not the innermost one, fails with an
 * IllegalStateException that names the scope.
 */

/** Common part of the scopes of a task: chain, cancellation, deadline. */
public abstract class ScopeImpl {
    /** Where a scope is in its life; see the overview. */
    enum Phase { NEW, ENTERED, JOINING, EXITED }

    final EventLoopImpl loop;
    TaskImpl<?> task;
    private ScopeImpl parent;
    final boolean shield;
    boolean cancelCalled;
    Phase phase = Phase.NEW;
    /** The last exception this scope threw into its task. */
    Throwable lastDelivered;

    long deadlineNs;
    boolean hasDeadline;

    ScopeImpl(EventLoopImpl loop, boolean shield) {
        this.loop = loop;
        this.shield = shield;
    }

    /** {@return the task this scope belongs to, or {@code null} before it is entered} */
    public final TaskImpl<?> task() {
        return task;
    }

    /** {@return the scope that encloses this one in its task, or {@code null}} */
    public final ScopeImpl parent() {
        return parent;
    }

    /** {@return whether this scope shields its body from cancellation from outside} */
    public final boolean isShield() {
        return shield;
    }

    /** {@return whether this scope was cancelled (level-triggered: its suspension points throw)} */
    public final boolean isCancelCalled() {
        return cancelCalled;
    }

    /** Enters the scope as the innermost one of a task. */
    final void push(TaskImpl<?> t) {
        if (phase != Phase.NEW) {
            throw new IllegalStateException(kind() + " entered twice");
        }
        task = t;
        parent = t.innermostScope();
        t.setInnermostScope(this);
        phase = Phase.ENTERED;
    }

    /**
     * Leaves the scope, which must be the task's innermost one.
     *
     * @param next the phase after: EXITED, or JOINING for a group whose children still run
     */
    final void pop(Phase next) {
        if (task.innermostScope() != this) {
            throw new IllegalStateException(kind() + " closed out of order: close the innermost scope first");
        }
        task.setInnermostScope(parent);
        phase = next;
    }

    /** {@return whether this is a task group with failed children (its errors take precedence)} */
    public boolean failing() {
        return false;
    }

    /** This scope's body is being cancelled by an exception passing through it. */
    public void bodyCancelled() {
    }

    /** {@return the exception a suspension point inside this cancelled scope throws} */
    public abstract Throwable delivery();

    /** The deadline passed. */
    abstract void onDeadline();

    abstract String kind();

    /** {@return whether {@code other} is this scope or one outside it in the same task} */
    final boolean isWithin(ScopeImpl other) {
        for (ScopeImpl s = this; s != null; s = s.parent) {
            if (s == other) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ deadline

    /** The armed deadline timer, or null. */
    private Deadline deadline;

    /** Sets the deadline; a deadline already past fires in the next iteration, ahead of timers. */
    final void arm(long whenNs) {
        disarm();
        deadlineNs = whenNs;
        hasDeadline = true;
        Deadline d = new Deadline(this, whenNs);
        deadline = d;
        if (whenNs <= loop.time()) {
            loop.enqueue(d);
        } else {
            loop.addTimer(d);
        }
    }

    /** Removes the deadline. */
    final void disarm() {
        Deadline d = deadline;
        if (d != null) {
            deadline = null;
            loop.removeTimer(d);
        }
        hasDeadline = false;
    }

    /** The timer of a scope's deadline; a new one per arming, so a moved deadline leaves no stale run. */
    private static final class Deadline extends TimerEntry {
        private final ScopeImpl scope;

        Deadline(ScopeImpl scope, long whenNs) {
            super(whenNs);
            this.scope = scope;
        }

        @Override
        public void run() {
            if (scope.deadline == this) {
                scope.deadline = null;
                scope.onDeadline();
            }
        }
    }
}
