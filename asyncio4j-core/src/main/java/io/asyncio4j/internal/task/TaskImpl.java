package io.asyncio4j.internal.task;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.observe.JfrEvents;
import io.asyncio4j.internal.scope.ScopeImpl;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

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
 * Where the coroutine is (`step`, a Step; loop thread only):
 *
 *   CREATED --start--> READY --runs--> RUNNING --suspend (on parkedOn)--> PARKED
 *                        ^               |  ^                                |
 *                        +----yield------+  +------------ runs ---- READY <--+ wake / wakeCancelled
 *                                        +--body returns or throws--> DONE
 *
 *   A task cancelled before its first step runs no line of its body (CREATED/READY --> DONE).
 *   wake() is legal only in PARKED; a second wake-up, or one of a running task, is a bug and
 *   fails an assertion. A task blocked in a JDK call (Thread.sleep, socket I/O) stays RUNNING for
 *   the loop: the JDK, not a Waitable, resumes it. A cancellation cannot wake it there; it fires
 *   the task's cancel hooks (`cancelHooks`, registered by Asyncio.onCancel; see CancelHook), whose
 *   reaction makes the JDK call return.
 *
 * What a cancellation request is (`cancel`, a Cancel): NONE; PENDING, to throw at the next
 * suspension point (the task was running, shielded, or its wait refused); DELIVERED, handed to
 * the Waitable it is parked on, which wakes it with the cancellation. `scopeInterrupt` is the
 * same for a cancelled scope whose task could not be interrupted where it waited.
 */

/**
 * The one implementation of {@link Task}.
 *
 * @param <T> the result type
 */
public final class TaskImpl<T> extends FutureImpl<T>
        implements Task<T>, Runnable, Thread.UncaughtExceptionHandler {

    /** Where the coroutine is; see the overview. */
    enum Step { CREATED, READY, RUNNING, PARKED, DONE }

    /** What an external cancellation request (Task.cancel) has become; see the overview. */
    enum Cancel { NONE, PENDING, DELIVERED }

    /** The coroutine: a Callable, or a ThrowingRunnable (no adapter object, no extra frame). */
    private Object body;
    /** The coroutine's virtual thread. */
    Thread thread;
    /** What resumes the coroutine: its continuation (fast driver) or its baton entry (compat). */
    Runnable resume;

    private final long id;

    private Step step = Step.CREATED;
    private Cancel cancel = Cancel.NONE;
    private int cancelRequests;
    /** A cancelled scope wants this task interrupted at its next suspension point. */
    private boolean scopeInterrupt;

    /** What the task is parked on while PARKED (and, briefly, once woken). */
    private Waitable parkedOn;
    /** The last wake-up was a cancelled wait, with this message. */
    private boolean wokenCancelled;

    /** Innermost active scope of this task. */
    private ScopeImpl scope;

    /** The task's contextvars context (see Contexts); null when empty. */
    Object[] ctx;

    /** Live-task list of the loop. */
    TaskImpl<?> prevLive;
    TaskImpl<?> nextLive;

    /** What few tasks need, allocated on first use; null while the task needs none of it. */
    private Rare rare;

    /**
     * The fields few tasks use, out of the hot object: a suspended task's memory is mostly the
     * JDK's (its virtual thread and stack), and every byte of ours is paid a million times in a
     * spawn of a million tasks, in allocation and in page faults.
     */
    private static final class Rare {
        /** The name given at creation or by setName, or null for the default Task-n. */
        String name;
        /** The message of the external cancellation request, if any. */
        String cancelMessage;
        /** The message of the last cancelled wait. */
        String wakeCancelMessage;
        /** Innermost cancel hook (Asyncio.onCancel) of this task, or null; see CancelHook. */
        CancelHook cancelHooks;
        /** The Context object whose run() is active in this task, or null for the task's own. */
        Object ctxCarrier;
        /** In debug mode, where the task was created. */
        StackTraceElement[] createdAt;
    }

    TaskImpl(EventLoopImpl loop, long id, String name, Object body) {
        super(loop);
        this.body = body;
        this.id = id;
        if (name != null) {
            rare().name = name;
        }
    }

    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            r = new Rare();
            rare = r;
        }
        return r;
    }

    private String cancelMessage() {
        Rare r = rare;
        return r == null ? null : r.cancelMessage;
    }

    private void setCancelMessage(String message) {
        if (message != null || rare != null) {
            rare().cancelMessage = message;
        }
    }

    private CancelHook cancelHooks() {
        Rare r = rare;
        return r == null ? null : r.cancelHooks;
    }

    /** {@return the Context object whose run() is active in this task, or null for the task's own} */
    Object ctxCarrier() {
        Rare r = rare;
        return r == null ? null : r.ctxCarrier;
    }

    /**
     * Sets the Context object whose run() is active in this task.
     *
     * @param carrier the context, or {@code null} for the task's own
     */
    void setCtxCarrier(Object carrier) {
        if (carrier != null || rare != null) {
            rare().ctxCarrier = carrier;
        }
    }

    /**
     * Records where the task was created (debug mode).
     *
     * @param frames the creator's frames
     */
    void setCreatedAt(StackTraceElement[] frames) {
        rare().createdAt = frames;
    }

    /** {@return the task whose coroutine is running on the current thread, or null} */
    public static TaskImpl<?> current() {
        return of(Thread.currentThread());
    }

    /**
     * Returns the task whose coroutine a thread is.
     *
     * @param t the thread
     * @return its task, or {@code null} if it is no task's virtual thread
     */
    public static TaskImpl<?> of(Thread t) {
        if (t.isVirtual() && t.getUncaughtExceptionHandler() instanceof TaskImpl<?> k && k.thread == t) {
            return k;
        }
        return null;
    }

    /**
     * Returns the current task, or explains why there is none.
     *
     * @param what the operation that needs a task, for the message
     * @return the current task
     * @throws IllegalStateException outside a task, with advice
     */
    public static TaskImpl<?> currentOrThrow(String what) {
        TaskImpl<?> t = current();
        if (t == null) {
            if (EventLoopImpl.runningOrNull() != null) {
                throw new IllegalStateException(what + " was called from a callback on the event loop thread, "
                        + "not from a task: a callback cannot suspend. Run the code in a task (createTask), or react "
                        + "to the future with addDoneCallback.");
            }
            throw new IllegalStateException(what + " must be called from a task: run the code with Asyncio.run(...) "
                    + "or createTask(...); another thread can wait for a future with get()");
        }
        return t;
    }

    /**
     * Suspends this task until a deadline on its loop's clock (asyncio.sleep). Suspends; checks
     * for cancellation.
     *
     * @param whenNs the deadline
     */
    public void sleepUntil(long whenNs) {
        SleepTimer.sleepUntil(this, whenNs);
    }

    /** {@return the task's contextvars map (null when empty)} */
    public Object[] context() {
        return ctx;
    }

    /**
     * Replaces the task's contextvars map (a runner gives each run its one context).
     *
     * @param map the map, or {@code null}
     */
    public void setContext(Object[] map) {
        ctx = map;
    }

    /** {@return the task's virtual thread, or {@code null} before it started} */
    public Thread thread() {
        return thread;
    }

    /** {@return the task's number, unique in the JVM (the n of its default name Task-n)} */
    public long taskId() {
        return id;
    }

    /** {@return where the coroutine is, for dumps: CREATED, READY, RUNNING, PARKED or DONE} */
    public String stepName() {
        return step.name();
    }

    /** {@return what the task is parked on, or {@code null} when it is not parked} */
    public Waitable parkedOn() {
        return step == Step.PARKED ? parkedOn : null;
    }

    /** {@return in debug mode, where the task was created, else {@code null}} */
    public StackTraceElement[] createdAt() {
        Rare r = rare;
        return r == null ? null : r.createdAt;
    }

    /**
     * Reads the frames of the task's virtual thread, the runtime's own included; on the loop, in
     * a way that leaves a suspended task suspended ({@code Thread.getStackTrace} alone would not,
     * in the fast driver).
     *
     * @return the frames, or none before the task started
     */
    public StackTraceElement[] rawStack() {
        if (thread == null) {
            return new StackTraceElement[0];
        }
        if (thread == Thread.currentThread()) {
            return new Throwable().getStackTrace();
        }
        return loop.tasks().driver().stackOf(this);
    }

    /** {@return whether the driver holds or queues the coroutine: parked, or ready to resume} */
    boolean suspendedByDriver() {
        return step == Step.PARKED || step == Step.READY;
    }

    /** {@return whether the coroutine is parked and not yet woken} */
    public boolean isParked() {
        return step == Step.PARKED;
    }

    /**
     * Tells whether the task is parked on a given waitable and not yet woken.
     *
     * @param w the waitable
     * @return whether it is
     */
    public boolean isParkedOn(Waitable w) {
        return step == Step.PARKED && parkedOn == w;
    }

    /** The driver queued the task's first step. */
    void started() {
        assert step == Step.CREATED : this + ": started twice";
        step = Step.READY;
    }

    private void suspendOn(Waitable w) {
        assert step == Step.RUNNING : this + ": suspends while " + step;
        parkedOn = w;
        step = Step.PARKED;
        loop.tasks().driver().suspend(this);
        step = Step.RUNNING;
        parkedOn = null;
    }

    private void yieldStep() {
        step = Step.READY;
        loop.tasks().driver().yieldNow(this);
        step = Step.RUNNING;
    }

    // ------------------------------------------------------------------ the coroutine

    /** The coroutine body; runs on the task's virtual thread. */
    @Override
    public void run() {
        Driver driver = loop.tasks().driver();
        driver.bodyStarting(this);
        step = Step.RUNNING;
        T value = null;
        Throwable error = null;
        try {
            if (cancel == Cancel.PENDING) {
                // cancelled before its first step: no line of the body runs (asyncio C6)
                cancel = Cancel.NONE;
                throw loop.newCancelledError(cancelMessage());
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
        driver.bodyFinished(this);
    }

    private void finish(T value, Throwable error) {
        body = null;
        if (error == null && cancel == Cancel.PENDING) {
            // cancel requested while finishing without another suspension: the task ends cancelled
            cancel = Cancel.NONE;
            error = loop.newCancelledError(cancelMessage());
        }
        step = Step.DONE;
        loop.tasks().removeLive(this);
        if (error instanceof CancelledError ce) {
            tryComplete(new Failure(ce, true));
        } else if (error != null) {
            tryComplete(new Failure(error, false));
            trackUnretrieved(error, createdAt());
        } else {
            tryComplete(value == null ? NIL : value);
        }
        JfrEvents.taskFinished(this, error, error instanceof CancelledError);
    }

    /** Something escaped the task's thread outside the body: report it, never lose it. */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        loop.reportFromAnyThread("Unhandled error in the thread of " + this, e);
    }

    // ------------------------------------------------------------------ suspension

    /**
     * Awaits a pending future of this loop from this task's coroutine. Suspends; checks for
     * cancellation (which cancels the future too, as asyncio does).
     *
     * @param f the future
     */
    public void awaitFuture(FutureImpl<?> f) {
        if (cancellationPending()) {
            // asyncio: a task asked to cancel cancels what it awaits, then waits for it to end
            if (cancel == Cancel.PENDING && !isShielded()) {
                if (f.cancel(cancelMessage())) {
                    cancel = Cancel.NONE;
                }
            } else {
                f.cancel((String) null);
            }
        }
        f.addCallback(this);
        suspendOn(f);
        Throwable ex = null;
        if (f.isCancelled()) {
            ex = takeCancellation(f.peekError());
        } else if (scopeInterrupt || (cancel == Cancel.PENDING && !isShielded())) {
            ex = takeCancellation(null);
        }
        if (cancel == Cancel.DELIVERED) {
            cancel = Cancel.NONE;
        }
        if (ex != null) {
            if (ex == f.peekError()) {
                f.markRetrieved();
            }
            throw Sneaky.rethrow(ex);
        }
    }

    /** Resumes this task because the future it awaits is done; runs in that future's dispatch. */
    void wakeFromFuture(FutureImpl<?> f) {
        if (parkedOn != f || step != Step.PARKED) {
            return;
        }
        step = Step.READY;
        loop.tasks().driver().resume(this);
    }

    /**
     * Throws the cancellation pending at a suspension point, after yielding once to the loop as
     * asyncio does; call before registering in a waiter list.
     */
    public void checkpointBeforeSuspend() {
        if (cancellationPending()) {
            yieldStep();
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
        wokenCancelled = false;
        suspendOn(on);
        if (wokenCancelled) {
            wokenCancelled = false;
            Throwable ex = takeWakeCancellation(rare == null ? null : rare.wakeCancelMessage);
            if (cancel == Cancel.DELIVERED) {
                cancel = Cancel.NONE;
            }
            throw Sneaky.rethrow(ex);
        }
        if (cancel == Cancel.DELIVERED) {
            cancel = Cancel.NONE;
        }
        if (scopeInterrupt || (cancel == Cancel.PENDING && !isShielded())) {
            Throwable ex = takeCancellation(null);
            if (ex != null) {
                throw Sneaky.rethrow(ex);
            }
        }
    }

    /**
     * Parks until {@link #wake()}; a cancellation meanwhile is kept for the next suspension point.
     *
     * @param on what the task waits on; its {@code cancelWaiter} decides what a cancellation does
     */
    public void parkUninterruptibly(Waitable on) {
        suspendOn(on);
    }

    /** Suspends for one loop iteration (sleep(0)); checks for cancellation. */
    public void yieldOnce() {
        yieldStep();
        if (cancellationPending()) {
            Throwable ex = takeCancellation(null);
            if (ex != null) {
                throw Sneaky.rethrow(ex);
            }
        }
    }

    /** Wakes this parked task normally; it resumes in a later ready entry. */
    public void wake() {
        assert step == Step.PARKED : this + ": woken while " + step;
        step = Step.READY;
        loop.enqueue(loop.tasks().driver().resumeEntry(this));
    }

    /**
     * Wakes this parked task because its wait was cancelled; it resumes with a cancellation.
     *
     * @param message the cancellation message
     */
    public void wakeCancelled(String message) {
        assert step == Step.PARKED : this + ": woken while " + step;
        step = Step.READY;
        wokenCancelled = true;
        if (message != null || rare != null) {
            rare().wakeCancelMessage = message;
        }
        loop.enqueue(loop.tasks().driver().resumeEntry(this));
    }

    // ------------------------------------------------------------------ cancellation

    @Override
    public boolean cancel(String message) {
        if (isDone()) {
            return false;
        }
        cancelRequests++;
        CancelHook hooks = cancelHooks();
        if (hooks != null) {
            CancelHook.fireAll(hooks, this, null);
        }
        if (step == Step.PARKED && !isShielded() && parkedOn.cancelWaiter(this, message)) {
            if (cancel == Cancel.NONE) {
                setCancelMessage(message);
            }
            cancel = Cancel.DELIVERED;
            return true;
        }
        if (cancel == Cancel.NONE) {
            setCancelMessage(message);
            cancel = Cancel.PENDING;
        }
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
            if (cancelRequests == 0 && cancel == Cancel.PENDING) {
                cancel = Cancel.NONE;
            }
        }
        return cancelRequests;
    }

    /**
     * A scope of this task (a timeout, a task group) cancels its body: counts in
     * {@link #cancelling()}, as asyncio's scopes do through {@code Task.cancel}, and is
     * withdrawn with {@link #uncancel()} at the scope's exit.
     *
     * @param s the scope
     */
    public void cancelForScope(ScopeImpl s) {
        cancelRequests++;
        interruptForScope(s);
    }

    /**
     * A scope of this task was cancelled: interrupt the task if the scope is visible and the task
     * is parked, else at its next suspension point.
     *
     * @param s the scope
     */
    public void interruptForScope(ScopeImpl s) {
        if (isDone()) {
            return;
        }
        CancelHook hooks = cancelHooks();
        if (hooks != null) {
            CancelHook.fireAll(hooks, this, s);
        }
        if (!visible(s)) {
            return;
        }
        if (step == Step.PARKED && parkedOn.cancelWaiter(this, null)) {
            return;
        }
        scopeInterrupt = true;
    }

    /**
     * An outside cancellation that a task group's body swallowed must not be lost: it is thrown
     * again at the next suspension point.
     */
    public void rearmCancellation() {
        if (cancel == Cancel.NONE) {
            cancel = Cancel.PENDING;
        }
    }

    /**
     * Registers a cancel hook as this task's innermost one, until {@link #popCancelHook}; loop
     * thread, from the task itself.
     *
     * @param h the hook
     */
    public void pushCancelHook(CancelHook h) {
        Rare r = rare();
        h.outer = r.cancelHooks;
        r.cancelHooks = h;
    }

    /**
     * Removes the innermost cancel hook.
     *
     * @param h the hook, which must be the innermost one
     */
    public void popCancelHook(CancelHook h) {
        assert cancelHooks() == h : this + ": cancel hooks removed out of order";
        rare.cancelHooks = h.outer;
        h.outer = null;
    }

    /** {@return the innermost active scope of this task, or {@code null}} */
    public ScopeImpl innermostScope() {
        return scope;
    }

    /**
     * Makes a scope the innermost one (entering, or leaving back to its parent).
     *
     * @param s the scope, or {@code null}
     */
    public void setInnermostScope(ScopeImpl s) {
        scope = s;
    }

    /** {@return whether a scope is in this task's chain with no shield between it and the innermost} */
    private boolean visible(ScopeImpl target) {
        for (ScopeImpl s = scope; s != null; s = s.parent()) {
            if (s == target) {
                return true;
            }
            if (s.isShield()) {
                return false;
            }
        }
        return false;
    }

    /** {@return whether a shielding scope is active: cancellation from outside it waits} */
    boolean isShielded() {
        for (ScopeImpl s = scope; s != null; s = s.parent()) {
            if (s.isShield()) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether a suspension point now would throw a cancellation} */
    public boolean cancellationPending() {
        boolean external = cancel == Cancel.PENDING;
        for (ScopeImpl s = scope; s != null; s = s.parent()) {
            if (s.isCancelCalled()) {
                return true;
            }
            if (s.isShield()) {
                return false;
            }
        }
        return external;
    }

    /**
     * Decides what a suspension point throws and returns it, or {@code fallback} when no
     * cancellation is pending. The innermost failing task group wins (its errors must surface; an
     * external cancel stays pending for later), then an external cancel, then the outermost
     * cancelled scope. Task groups inside the chosen scope learn that their body is cancelled.
     */
    public Throwable takeCancellation(Throwable fallback) {
        scopeInterrupt = false;
        ScopeImpl outer = null;
        ScopeImpl failing = null;
        boolean shielded = false;
        for (ScopeImpl s = scope; s != null; s = s.parent()) {
            if (s.failing()) {
                failing = s; // the outermost failing group: inner ones join it as they close
            }
            if (s.isCancelCalled()) {
                outer = s;
            }
            if (s.isShield()) {
                shielded = true;
                break;
            }
        }
        if (failing != null) {
            abortGroupsInside(failing);
            return failing.delivery();
        }
        if (!shielded && cancel != Cancel.NONE) {
            cancel = Cancel.NONE;
            abortGroupsInside(null);
            return fallback instanceof CancelledError ? fallback : loop.newCancelledError(cancelMessage());
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
        for (ScopeImpl s = scope; s != null && s != limit; s = s.parent()) {
            s.bodyCancelled();
            if (s.isShield()) {
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
        Rare r = rare;
        String n = r == null ? null : r.name;
        return n != null ? n : "Task-" + id;
    }

    @Override
    public void setName(String name) {
        rare().name = String.valueOf(name);
    }

    @Override
    public List<StackTraceElement> getStack() {
        Object s = rawState();
        if (s instanceof Failure f && !f.cancelled()) {
            return List.of(f.error().getStackTrace());
        }
        if (s != PENDING || thread == null) {
            return List.of();
        }
        if (thread == Thread.currentThread()) {
            return trim(new Throwable().getStackTrace());
        }
        return trim(loop.tasks().driver().stackOf(this));
    }

    /**
     * Drops the runtime's own frames above the coroutine's suspension point and below its body.
     *
     * @param frames a virtual thread's stack
     * @return the coroutine's own frames
     */
    public static List<StackTraceElement> trim(StackTraceElement[] frames) {
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
                || c.equals("java.lang.Thread") || c.startsWith("java.lang.System$") || c.startsWith("java.util.concurrent.locks.LockSupport")
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

    @Override
    public String toString() {
        String st;
        if (!isDone()) {
            st = step == Step.CREATED ? "pending (not started)" : "pending";
        } else {
            st = describeState();
        }
        return "<Task " + getName() + " " + st + ">";
    }
}
