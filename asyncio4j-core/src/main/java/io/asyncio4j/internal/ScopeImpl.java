package io.asyncio4j.internal;

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
 */

/** Common part of the scopes of a task: chain, cancellation, deadline. */
abstract class ScopeImpl {
    static final int NEW = 0;
    static final int ENTERED = 1;
    static final int EXITED = 2;

    final EventLoopImpl loop;
    TaskImpl<?> task;
    ScopeImpl parent;
    boolean shield;
    boolean cancelCalled;
    int phase = NEW;
    /** The last exception this scope threw into its task. */
    Throwable lastDelivered;

    long deadlineNs;
    boolean hasDeadline;

    ScopeImpl(EventLoopImpl loop) {
        this.loop = loop;
    }

    /** Enters the scope as the innermost one of a task. */
    final void push(TaskImpl<?> t) {
        task = t;
        parent = t.scope;
        t.scope = this;
        phase = ENTERED;
    }

    /** Leaves the scope, which must be the task's innermost one. */
    final void pop() {
        if (task.scope != this) {
            throw new IllegalStateException(kind() + " closed out of order: close the innermost scope first");
        }
        task.scope = parent;
        phase = EXITED;
    }

    /** {@return whether this is a task group with failed children (its errors take precedence)} */
    boolean failing() {
        return false;
    }

    /** This scope's body is being cancelled by an exception passing through it. */
    void bodyCancelled() {
    }

    /** {@return the exception a suspension point inside this cancelled scope throws} */
    abstract Throwable delivery();

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
        Deadline d = new Deadline(this);
        deadline = d;
        d.whenNs = whenNs;
        if (whenNs <= loop.time()) {
            loop.ready.add(d);
        } else {
            loop.addTimer(d);
        }
    }

    /** Removes the deadline. */
    final void disarm() {
        Deadline d = deadline;
        if (d != null) {
            deadline = null;
            loop.timers.remove(d);
        }
        hasDeadline = false;
    }

    /** The timer of a scope's deadline; a new one per arming, so a moved deadline leaves no stale run. */
    private static final class Deadline extends TimerEntry {
        private final ScopeImpl scope;

        Deadline(ScopeImpl scope) {
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
