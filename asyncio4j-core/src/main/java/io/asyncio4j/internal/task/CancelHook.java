package io.asyncio4j.internal.task;

import io.asyncio4j.internal.scope.ScopeImpl;

/*
 * Implementation overview
 *
 * A task blocked inside a JDK call (a socket read of a JDBC driver, say) stays RUNNING for the
 * loop: no Waitable can wake it, so Task.cancel() and a cancelled scope only mark it for its next
 * suspension point. A cancel hook is how such a call learns of the cancellation while it is
 * blocked: Asyncio.onCancel registers one for the duration of its body, and TaskImpl.cancel and
 * TaskImpl.interruptForScope fire the hooks a cancellation reaches (trio's abort_fn, kotlinx's
 * invokeOnCancellation).
 *
 * Hooks of one task form a stack through `outer` (onCancel calls nest), innermost first, from
 * TaskImpl's field. A hook fires at most once. It sees a cancellation that is visible from where
 * it was registered (`scope`: the task's innermost scope then; a shielding scope outside it hides
 * what is outside the shield) or from where the task is now (a scope the body entered itself).
 * Loop thread only.
 */

/** A reaction to the cancellation of a task while it runs a blocking call; see the overview. */
public abstract class CancelHook {
    /** The task's innermost scope when the hook was registered. */
    private final ScopeImpl scope;
    /** The hook registered before this one, still active. */
    CancelHook outer;
    private boolean fired;

    /**
     * Creates a hook for a task, seeing cancellations from the task's innermost scope now.
     *
     * @param task the task, the current one
     */
    protected CancelHook(TaskImpl<?> task) {
        this.scope = task.innermostScope();
    }

    /** {@return whether the hook has fired} */
    public final boolean fired() {
        return fired;
    }

    /** The task is being cancelled: start the reaction (it must not block the loop). */
    protected abstract void onCancelled();

    /**
     * Fires every hook of a stack that a cancellation reaches.
     *
     * @param innermost the task's innermost hook
     * @param task the task
     * @param cancelled the scope being cancelled, or {@code null} for the task's own cancellation
     */
    static void fireAll(CancelHook innermost, TaskImpl<?> task, ScopeImpl cancelled) {
        boolean seenFromTask = sees(task.innermostScope(), cancelled);
        for (CancelHook h = innermost; h != null; h = h.outer) {
            if (!h.fired && (seenFromTask || sees(h.scope, cancelled))) {
                h.fired = true;
                h.onCancelled();
            }
        }
    }

    /**
     * Tells whether a cancellation reaches a point of a task's scope chain: a scope's when it is
     * at or outside that point with no shield in between, the task's own when no shield is
     * outside that point.
     */
    private static boolean sees(ScopeImpl from, ScopeImpl cancelled) {
        for (ScopeImpl s = from; s != null; s = s.parent()) {
            if (s == cancelled) {
                return true;
            }
            if (s.isShield()) {
                return false;
            }
        }
        return cancelled == null;
    }
}
