package io.asyncio4j.internal;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;

/*
 * Implementation overview
 *
 * A task is a virtual thread running run() (the coroutine body), plus the future of its result.
 * Everything but the thread's own execution happens on the loop thread; the coroutine runs only
 * while the loop has handed it the thread (Driver), so the fields below need no synchronisation.
 *
 * Suspension. The task parks on a Waitable (`parkedOn`): a future (awaitFuture), a sleep timer, a
 * queue or lock (park). Waking sets `woken` and queues the task's resume entry, or, for a future,
 * resumes it in place from the future's callback dispatch (as asyncio's __wakeup runs __step).
 *
 * Cancellation has two sources.
 *  - Task.cancel(msg), edge-triggered as in asyncio: if the task is parked (and not shielded) the
 *    Waitable is cancelled, which wakes the task with a CancelledError; otherwise `mustCancel`
 *    makes the next suspension point throw one. Each call counts in `cancelRequests`.
 *  - Scopes (Timeout, TaskGroup, CancelScope), level-triggered: a cancelled scope interrupts the
 *    task if it is parked, and every later suspension inside the scope throws again. The scopes
 *    form a chain from `scope` (innermost) outward; a shielding scope hides what is outside it.
 * takeCancellation() decides, at a suspension point, what to throw: the innermost failing task
 * group's exception first (its errors must surface), then an external cancel, then the outermost
 * cancelled scope's own exception (a TimeoutError for a Timeout); see ScopeImpl.
 *
 *   created --start--> running <--suspend/resume--> parked
 *      |                  |
 *      +-- cancelled before first step: body never runs, task CANCELLED
 *                         +-- returns: result; throws CancelledError: CANCELLED; throws: exception
 */

/**
 * The one implementation of {@link Task}.
 *
 * @param <T> the result type
 */
public final class TaskImpl<T> extends FutureImpl<T>
        implements Task<T>, Runnable, Thread.UncaughtExceptionHandler {

    private static final AtomicLong COUNTER = new AtomicLong();

    /** The coroutine: a Callable, or a ThrowingRunnable (no adapter object, no extra frame). */
    private Object body;
    /** The coroutine's virtual thread. */
    Thread thread;
    /** What resumes the coroutine: its continuation (fast driver) or its baton entry (compat). */
    Runnable resume;

    private final long id;
    private String name;

    int cancelRequests;
    boolean mustCancel;
    /** An external cancel was passed to the waitable this task is parked on; it wins over scopes. */
    boolean cancelInFlight;
    String cancelMessage;

    Waitable parkedOn;
    boolean woken;
    private boolean wakeCancelled;
    private String wakeCancelMessage;
    boolean interruptOnWake;

    /** Innermost active scope of this task. */
    ScopeImpl scope;

    /** The task's contextvars context (see Contexts); null when empty. */
    Object[] ctx;
    /** The Context object whose run() is active in this task, or null for the task's own. */
    Object ctxCarrier;

    /** Live-task list of the loop. */
    TaskImpl<?> prevLive;
    TaskImpl<?> nextLive;

    /** In debug mode, where the task was created. */
    StackTraceElement[] createdAt;

    TaskImpl(EventLoopImpl loop, String name, Object body) {
        super(loop);
        this.body = body;
        this.id = COUNTER.incrementAndGet();
        this.name = name;
    }

    /** {@return the task whose coroutine is running on the current thread, or null} */
    public static TaskImpl<?> current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual() && t.getUncaughtExceptionHandler() instanceof TaskImpl<?> k && k.thread == t) {
            return k;
        }
        return null;
    }

    // ------------------------------------------------------------------ the coroutine

    /** The coroutine body; runs on the task's virtual thread. */
    @Override
    public void run() {
        loop.driver.bodyStarting(this);
        T value = null;
        Throwable error = null;
        try {
            if (mustCancel) {
                // cancelled before its first step: no line of the body runs (asyncio C6)
                mustCancel = false;
                throw loop.newCancelledError(cancelMessage);
            }
            if (body instanceof Callable<?> c) {
                @SuppressWarnings("unchecked")
                T v = (T) c.call();
                value = v;
            } else {
                ((ThrowingRunnable) body).run();
            }
        } catch (Throwable e) {
            error = e;
        }
        finish(value, error);
        loop.driver.bodyFinished(this);
    }

    private void finish(T value, Throwable error) {
        body = null;
        if (error == null && mustCancel) {
            // cancel requested while finishing without another suspension: the task ends cancelled
            mustCancel = false;
            error = loop.newCancelledError(cancelMessage);
        }
        loop.removeLive(this);
        if (error instanceof CancelledError ce) {
            tryComplete(new Failure(ce, true));
        } else if (error != null) {
            tryComplete(new Failure(error, false));
            loop.trackUnretrieved(this, error);
        } else {
            tryComplete(value == null ? NIL : value);
        }
    }

    /** Something escaped the task's thread outside the body: report it, never lose it. */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        loop.reportFromAnyThread("Unhandled error in the thread of " + this, e);
    }

    // ------------------------------------------------------------------ suspension

    /** Awaits a pending future of this loop from this task's coroutine. */
    void awaitFuture(FutureImpl<?> f) {
        if (cancellationPending()) {
            // asyncio: a task asked to cancel cancels what it awaits, then waits for it to end
            if (mustCancel && !isShielded()) {
                if (f.cancel(cancelMessage)) {
                    mustCancel = false;
                }
            } else {
                f.cancel((String) null);
            }
        }
        f.addCallback(this);
        parkedOn = f;
        woken = false;
        loop.driver.suspend(this);
        parkedOn = null;
        Throwable ex = null;
        if (f.isCancelled()) {
            ex = takeCancellation(f.peekError());
        } else if (interruptOnWake || (mustCancel && !isShielded())) {
            ex = takeCancellation(null);
        }
        cancelInFlight = false;
        if (ex != null) {
            if (ex == f.peekError()) {
                f.markRetrieved();
            }
            throw Sneaky.rethrow(ex);
        }
    }

    /** Resumes this task because the future it awaits is done; runs in that future's dispatch. */
    void wakeFromFuture(FutureImpl<?> f) {
        if (parkedOn != f || woken) {
            return;
        }
        woken = true;
        loop.driver.resume(this);
    }

    /**
     * Throws the cancellation pending at a suspension point, after yielding once to the loop as
     * asyncio does; call before registering in a waiter list.
     */
    public void checkpointBeforeSuspend() {
        if (cancellationPending()) {
            loop.driver.yieldNow(this);
            Throwable ex = takeCancellation(null);
            if (ex != null) {
                throw Sneaky.rethrow(ex);
            }
        }
    }

    /**
     * Parks until {@link #wake()} or a cancellation; the caller registered this task with
     * {@code on} after {@link #checkpointBeforeSuspend()}. Throws the cancellation, if any.
     *
     * @param on what the task waits on
     */
    public void park(Waitable on) {
        parkedOn = on;
        woken = false;
        wakeCancelled = false;
        loop.driver.suspend(this);
        parkedOn = null;
        if (wakeCancelled) {
            wakeCancelled = false;
            Throwable ex = takeWakeCancellation(wakeCancelMessage);
            cancelInFlight = false;
            throw Sneaky.rethrow(ex);
        }
        cancelInFlight = false;
        if (interruptOnWake || (mustCancel && !isShielded())) {
            Throwable ex = takeCancellation(null);
            if (ex != null) {
                throw Sneaky.rethrow(ex);
            }
        }
    }

    /** Parks until {@link #wake()}; a cancellation meanwhile is kept for the next suspension point. */
    void parkUninterruptibly(Waitable on) {
        parkedOn = on;
        woken = false;
        loop.driver.suspend(this);
        parkedOn = null;
    }

    /** Suspends for one loop iteration (sleep(Duration.ZERO)); checks for cancellation. */
    public void yieldOnce() {
        loop.driver.yieldNow(this);
        if (cancellationPending()) {
            Throwable ex = takeCancellation(null);
            if (ex != null) {
                throw Sneaky.rethrow(ex);
            }
        }
    }

    /** Wakes this parked task normally; it resumes in a later ready entry. */
    public void wake() {
        woken = true;
        loop.ready.add(loop.driver.resumeEntry(this));
    }

    /**
     * Wakes this parked task because its wait was cancelled; it resumes with a cancellation.
     *
     * @param message the cancellation message
     */
    public void wakeCancelled(String message) {
        woken = true;
        wakeCancelled = true;
        wakeCancelMessage = message;
        loop.ready.add(loop.driver.resumeEntry(this));
    }

    /** {@return the loop of this task} */
    public EventLoopImpl getLoopImpl() {
        return loop;
    }

    /** {@return whether this task is parked and not yet woken} */
    public boolean isParked() {
        return parkedOn != null && !woken;
    }

    // ------------------------------------------------------------------ cancellation

    @Override
    public boolean cancel(String message) {
        if (isDone()) {
            return false;
        }
        cancelRequests++;
        if (parkedOn != null && !woken && !isShielded() && parkedOn.cancelWaiter(this, message)) {
            if (!cancelInFlight && !mustCancel) {
                cancelMessage = message;
            }
            cancelInFlight = true;
            return true;
        }
        if (!mustCancel && !cancelInFlight) {
            cancelMessage = message;
        }
        mustCancel = true;
        return true;
    }

    @Override
    public int cancelling() {
        return cancelRequests;
    }

    @Override
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /** A scope of this task was cancelled: interrupt the task if the scope is visible and it is parked. */
    void interruptForScope(ScopeImpl s) {
        if (isDone() || !visible(s)) {
            return;
        }
        if (parkedOn != null && !woken && parkedOn.cancelWaiter(this, null)) {
            return;
        }
        interruptOnWake = true;
    }

    /** {@return whether a scope is in this task's chain with no shield between it and the innermost} */
    private boolean visible(ScopeImpl target) {
        for (ScopeImpl s = scope; s != null; s = s.parent) {
            if (s == target) {
                return true;
            }
            if (s.shield) {
                return false;
            }
        }
        return false;
    }

    /** {@return whether a shielding scope is active: cancellation from outside it waits} */
    boolean isShielded() {
        for (ScopeImpl s = scope; s != null; s = s.parent) {
            if (s.shield) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether a suspension point now would throw a cancellation} */
    boolean cancellationPending() {
        if (scope == null) {
            return mustCancel;
        }
        for (ScopeImpl s = scope; s != null; s = s.parent) {
            if (s.cancelCalled) {
                return true;
            }
            if (s.shield) {
                return false;
            }
        }
        return mustCancel;
    }

    /**
     * Decides what a suspension point throws and returns it, or {@code fallback} when no
     * cancellation is pending. The innermost failing task group wins (its errors must surface; an
     * external cancel stays pending for later), then an external cancel, then the outermost
     * cancelled scope. Task groups inside the chosen scope learn that their body is cancelled.
     */
    Throwable takeCancellation(Throwable fallback) {
        interruptOnWake = false;
        ScopeImpl outer = null;
        ScopeImpl failing = null;
        boolean shielded = false;
        for (ScopeImpl s = scope; s != null; s = s.parent) {
            if (s.failing()) {
                failing = s; // the outermost failing group: inner ones join it as they close
            }
            if (s.cancelCalled) {
                outer = s;
            }
            if (s.shield) {
                shielded = true;
                break;
            }
        }
        if (failing != null) {
            abortGroupsInside(failing);
            return failing.delivery();
        }
        if (!shielded && (mustCancel || cancelInFlight)) {
            mustCancel = false;
            cancelInFlight = false;
            abortGroupsInside(null);
            return fallback instanceof CancelledError ? fallback : loop.newCancelledError(cancelMessage);
        }
        if (outer != null) {
            abortGroupsInside(outer);
            return outer.delivery();
        }
        if (fallback instanceof CancelledError) {
            abortGroupsInside(null);
        }
        return fallback;
    }

    /** The wait was cancelled: the scope's or external cancellation, else a plain one with the message. */
    private Throwable takeWakeCancellation(String message) {
        Throwable ex = takeCancellation(null);
        if (ex == null) {
            abortGroupsInside(null);
            ex = loop.newCancelledError(message);
        }
        return ex;
    }

    /** Tells the task groups between the innermost scope and {@code limit} that their body is cancelled. */
    private void abortGroupsInside(ScopeImpl limit) {
        for (ScopeImpl s = scope; s != null && s != limit; s = s.parent) {
            s.bodyCancelled();
            if (s.shield) {
                break;
            }
        }
    }

    // ------------------------------------------------------------------ Task API

    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult: a task completes when its coroutine returns");
    }

    @Override
    public void setException(Throwable error) {
        throw new UnsupportedOperationException("Task does not support setException: a task completes when its coroutine throws");
    }

    @Override
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + id;
    }

    @Override
    public void setName(String name) {
        this.name = String.valueOf(name);
    }

    @Override
    public List<StackTraceElement> getStack() {
        Object s = rawState();
        if (s instanceof Failure f && !f.cancelled) {
            return List.of(f.error.getStackTrace());
        }
        if (s != PENDING || thread == null) {
            return List.of();
        }
        if (thread == Thread.currentThread()) {
            return trim(new Throwable().getStackTrace());
        }
        return trim(thread.getStackTrace());
    }

    /** Drops the runtime's own frames above the coroutine's suspension point. */
    static List<StackTraceElement> trim(StackTraceElement[] frames) {
        int start = 0;
        while (start < frames.length && isRuntimeFrame(frames[start])) {
            start++;
        }
        int end = frames.length;
        while (end > start && isRuntimeFrame(frames[end - 1])) {
            end--;
        }
        return List.of(Arrays.copyOfRange(frames, start, end));
    }

    private static boolean isRuntimeFrame(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.lang.VirtualThread") || c.startsWith("jdk.internal.")
                || c.equals("java.lang.Thread") || c.startsWith("java.util.concurrent.locks.LockSupport")
                || c.startsWith("io.asyncio4j.internal.");
    }

    @Override
    public void printStack() {
        StringBuilder sb = new StringBuilder();
        sb.append("Stack for ").append(this).append(':');
        List<StackTraceElement> frames = getStack();
        if (frames.isEmpty()) {
            sb.append(" no stack");
        }
        for (StackTraceElement e : frames) {
            sb.append(System.lineSeparator()).append("\tat ").append(e);
        }
        System.err.println(sb);
    }

    /** {@return the live tasks of a loop, for allTasks()} */
    static List<TaskImpl<?>> snapshot(TaskImpl<?> head) {
        List<TaskImpl<?>> out = new ArrayList<>();
        for (TaskImpl<?> t = head; t != null; t = t.nextLive) {
            out.add(t);
        }
        return out;
    }

    @Override
    public String toString() {
        String st;
        if (!isDone()) {
            st = thread == null ? "pending (not started)" : "pending";
        } else {
            st = describeState();
        }
        return "<Task " + getName() + " " + st + ">";
    }
}
