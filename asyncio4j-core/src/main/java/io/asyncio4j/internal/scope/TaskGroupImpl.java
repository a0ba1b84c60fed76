package io.asyncio4j.internal.scope;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.TaskGroupBody;
import io.asyncio4j.TaskGroupException;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.TimeoutError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.Waitable;

/*
 * Implementation overview
 *
 * The group is a scope of its parent task (the body) and the done-callback of its children.
 *  - A child failure records the error and aborts: every unfinished child is cancelled and, if the
 *    body is still running, the scope is cancelled, so the body's suspension points throw a
 *    TaskGroupException (failing() makes it win over other cancellations). Instances raised share
 *    the error list, so each sees every failure, even those that come later.
 *  - exit() pops the scope (phase JOINING: children may still create children), then waits for
 *    the children without being interruptible (a cancellation arriving meanwhile only aborts the
 *    children), then raises the errors, or the cancellation that arrived while it waited, or
 *    nothing (phase EXITED).
 * Besides the phase, four facts: `aborting` (no new children; the unfinished ones are cancelled),
 * `userCancelled` (cancel() was called), `bodyInterrupted` (the group cancelled its body, which
 * counts in the parent's cancelling()), `cancelledWhileWaiting` (the parent was cancelled during
 * JOINING: that cancellation is raised at the end).
 * As in asyncio, the group's own cancellation of the body counts in the parent's cancelling() and
 * is withdrawn at exit. Loop thread only.
 */

/** The one implementation of {@link TaskGroup}. */
public final class TaskGroupImpl extends ScopeImpl implements TaskGroup, Consumer<Future<?>>, Waitable {
    private static final String GROUP_MESSAGE = "unhandled errors in a TaskGroup";

    private final Set<TaskImpl<?>> children = new HashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<TaskGroupException> raised = new ArrayList<>();
    private boolean aborting;
    private boolean userCancelled;
    private boolean bodyInterrupted;
    private boolean cancelledWhileWaiting;

    private TaskGroupImpl(EventLoopImpl loop) {
        super(loop, false);
    }

    /**
     * Opens a group in the current task, for try-with-resources.
     *
     * @return the entered group
     */
    public static TaskGroupImpl open() {
        TaskImpl<?> t = TaskImpl.current();
        if (t == null) {
            throw new IllegalStateException("TaskGroup must be used inside a task");
        }
        TaskGroupImpl g = new TaskGroupImpl(t.loop());
        g.push(t);
        return g;
    }

    /**
     * Runs a body in a new group with asyncio's exact semantics: the body's own exception cancels
     * the children and joins their failures; the group's own cancel() ends quietly.
     *
     * @param <T> the body's result type
     * @param body the body
     * @return the body's result, once every child has finished
     */
    public static <T> T run(TaskGroupBody<T> body) {
        TaskGroupImpl g = open();
        T result = null;
        Throwable bodyError = null;
        try {
            result = body.run(g);
        } catch (Throwable e) {
            bodyError = e;
        }
        g.exit(bodyError, true);
        return result;
    }

    @Override
    String kind() {
        return "TaskGroup";
    }

    @Override
    public boolean failing() {
        return !errors.isEmpty();
    }

    // ------------------------------------------------------------------ children

    @Override
    public <T> Task<T> createTask(Callable<T> coroutine) {
        return createTask(null, coroutine);
    }

    @Override
    public <T> Task<T> createTask(String name, Callable<T> coroutine) {
        checkCanCreate();
        return adopt(loop.tasks().newTask(name, coroutine));
    }

    private void checkCanCreate() {
        if (phase == Phase.NEW) {
            throw new IllegalStateException(this + " has not been entered");
        }
        if (phase == Phase.EXITED) {
            throw new IllegalStateException(this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException(this + " is shutting down");
        }
    }

    private <T> TaskImpl<T> adopt(TaskImpl<T> child) {
        children.add(child);
        child.addCallback(this);
        loop.tasks().start(child, loop.tasks().isEager());
        return child;
    }

    @Override
    public Task<Void> createTask(ThrowingRunnable coroutine) {
        return createTask(null, coroutine);
    }

    @Override
    public Task<Void> createTask(String name, ThrowingRunnable coroutine) {
        checkCanCreate();
        return adopt(loop.tasks().newTask(name, coroutine));
    }

    /** A child is done. */
    @Override
    public void accept(Future<?> f) {
        TaskImpl<?> child = (TaskImpl<?>) f;
        children.remove(child);
        Throwable e = child.takeFailure();
        if (e != null) {
            addError(e);
            abort(true);
        }
        if (phase == Phase.JOINING && children.isEmpty() && task.isParkedOn(this)) {
            task.wake();
        }
    }

    /** Cancels the unfinished children and, while the body runs, the body. */
    private void abort(boolean interruptBody) {
        aborting = true;
        for (TaskImpl<?> c : new ArrayList<>(children)) {
            c.cancel((String) null);
        }
        if (interruptBody && phase == Phase.ENTERED && !bodyInterrupted) {
            bodyInterrupted = true;
            cancelCalled = true;
            task.cancelForScope(this);
        }
    }

    /** The body is being cancelled from outside, or failed: the children are cancelled. */
    @Override
    public void bodyCancelled() {
        if (!aborting) {
            abort(false);
        }
    }

    @Override
    public Throwable delivery() {
        Throwable e;
        if (!errors.isEmpty()) {
            TaskGroupException g = new TaskGroupException(GROUP_MESSAGE, errors);
            for (Throwable t : errors) {
                g.addSuppressed(t);
            }
            raised.add(g);
            e = g;
        } else {
            e = loop.newCancelledError("TaskGroup cancelled");
        }
        lastDelivered = e;
        return e;
    }

    @Override
    void onDeadline() {
        // task groups have no deadline
    }

    @Override
    public void cancel() {
        if (phase == Phase.EXITED || userCancelled) {
            return;
        }
        userCancelled = true;
        if (phase == Phase.NEW) {
            aborting = true;
            cancelCalled = true;
            return;
        }
        abort(true);
    }

    // ------------------------------------------------------------------ exit

    @Override
    public void close() {
        exit(null, false);
    }

    /** While exit() waits, a cancellation of the parent only aborts the children. */
    @Override
    public boolean cancelWaiter(TaskImpl<?> t, String message) {
        cancelledWhileWaiting = true;
        bodyCancelled();
        return false;
    }

    /**
     * Leaves the group: waits for every child, then raises.
     *
     * @param bodyError what the body threw, when known
     * @param bodyKnown whether the body's outcome is known (lambda form) or not (try-with-resources)
     */
    private void exit(Throwable bodyError, boolean bodyKnown) {
        if (phase != Phase.ENTERED) {
            throw new IllegalStateException(this + (phase == Phase.NEW ? " has not been entered" : " is already closed"));
        }
        Throwable propagate = null;
        if (bodyKnown && bodyError != null) {
            if (bodyError == lastDelivered || raised.contains(bodyError)) {
                // the group's own interruption of the body: its errors, or cancel(), which ends quietly
            } else if (bodyError instanceof CancelledError || raisedByEnclosingGroup(bodyError)
                    || (bodyError instanceof TimeoutError te && te.timeout() instanceof ScopeImpl s && isWithin(s))) {
                // a cancellation from outside the group passes through it once the children are done
                propagate = bodyError;
                bodyCancelled();
            } else {
                addError(bodyError);
                bodyCancelled();
            }
        }
        pop(Phase.JOINING);
        if (task.cancellationPending()) {
            cancelledWhileWaiting = true;
            bodyCancelled();
        }
        while (!children.isEmpty()) {
            task.parkUninterruptibly(this);
        }
        phase = Phase.EXITED;
        if (bodyInterrupted) {
            task.uncancel();
        }
        if (!errors.isEmpty()) {
            // as asyncio: the errors win; a pending cancellation stays pending for the next suspension.
            if (propagate instanceof CancelledError) {
                // the body consumed an outside cancellation: re-arm it so that it is not lost (J8)
                task.rearmCancellation();
            }
            // With try-with-resources the raised instance may be the one leaving the block: throw a
            // fresh one (Java forbids suppressing an exception into itself).
            TaskGroupException mine;
            if (bodyKnown && bodyError instanceof TaskGroupException own && raised.contains(own)) {
                mine = own;
            } else {
                mine = TaskGroupException.of(errors);
            }
            TaskGroupImpl enclosing = failingEnclosingGroup();
            if (enclosing != null) {
                // an enclosing group is failing too: join it, so that its close() (which cannot
                // replace the exception leaving its block) still raises every failure
                enclosing.addError(mine);
                throw Sneaky.rethrow(enclosing.delivery());
            }
            throw mine;
        }
        if (propagate != null) {
            throw Sneaky.rethrow(propagate);
        }
        if (cancelledWhileWaiting) {
            Throwable pending = task.takeCancellation(null);
            if (pending != null) {
                throw Sneaky.rethrow(pending);
            }
        }
    }

    private TaskGroupImpl failingEnclosingGroup() {
        for (ScopeImpl s = parent(); s != null; s = s.parent()) {
            if (s instanceof TaskGroupImpl g && g.failing()) {
                return g;
            }
            if (s.isShield()) {
                return null;
            }
        }
        return null;
    }

    private boolean raisedByEnclosingGroup(Throwable e) {
        for (ScopeImpl s = parent(); s != null; s = s.parent()) {
            if (s instanceof TaskGroupImpl g && g.raised.contains(e)) {
                return true;
            }
        }
        return false;
    }

    private void addError(Throwable e) {
        errors.add(e);
        for (TaskGroupException r : raised) {
            r.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        String state = phase == Phase.NEW ? "created" : phase == Phase.EXITED ? "finished"
                : aborting ? "shutting down" : phase == Phase.JOINING ? "joining" : "entered";
        return "<TaskGroup " + state + " tasks=" + children.size() + " errors=" + errors.size() + ">";
    }
}
