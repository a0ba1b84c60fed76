package io.asyncio4j.internal.task;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.InvalidStateError;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.Unretrieved;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.asyncio4j.internal.ops.Await;

/*
 * Implementation overview
 *
 * State is one field, `state`, written only by the loop thread (release) and read by any thread
 * (acquire), so that isDone() and get() work from foreign threads:
 *
 *     PENDING --setResult--> value (NIL stands for null)
 *        |----setException--> Failure(error, cancelled = false)
 *        +----cancel-------> Failure(CancelledError, cancelled = true)
 *
 * Done callbacks live in `callbacks`: null, one callback, or a Callbacks array. A callback is a
 * Consumer, or a TaskImpl waiting in await() (resumed in place, as asyncio's Task.__wakeup runs
 * __step). On completion the future itself is queued on the loop once (flag QUEUED) and runs its
 * callbacks in registration order when the loop reaches it; a callback added after completion is
 * queued on its own. Loop thread only, but for `state`.
 *
 * A failure is tracked as unretrieved until result(), exception(), await or get() reads it; see
 * Unretrieved.
 */

/**
 * The one implementation of {@link Future}.
 *
 * @param <T> the result type
 */
public class FutureImpl<T> implements Future<T>, Waitable {
    static final Object PENDING = new Object() {
        @Override
        public String toString() {
            return "PENDING";
        }
    };
    static final Object NIL = new Object();

    /**
     * A done state that is not a result: the exception, or the CancelledError of a cancellation.
     * It also holds the exception's "never retrieved" tracking, which only a failed future needs
     * (a field of its own would cost every future, every task among them, four bytes).
     */
    static final class Failure {
        private final Throwable error;
        private final boolean cancelled;
        /** The tracking of an exception nobody read yet, or null. */
        private Unretrieved unretrieved;

        Failure(Throwable error, boolean cancelled) {
            this.error = error;
            this.cancelled = cancelled;
        }

        /** {@return the exception, or the CancelledError of a cancellation} */
        Throwable error() {
            return error;
        }

        /** {@return whether the future was cancelled} */
        boolean cancelled() {
            return cancelled;
        }
    }

    /** More than one done callback. */
    private static final class Callbacks {
        Object[] items = new Object[4];
        int size;
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FutureImpl.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int QUEUED = 1;

    final EventLoopImpl loop;
    @SuppressWarnings("unused") // accessed through STATE
    private Object state = PENDING;
    private Object callbacks;
    private byte flags;

    /**
     * Creates a pending future on a loop.
     *
     * @param loop the loop
     */
    public FutureImpl(EventLoopImpl loop) {
        this.loop = loop;
    }

    /**
     * Returns the asyncio4j future behind a future of the API, checking that it belongs to a loop.
     * A foreign implementation of {@link Future} cannot be awaited: wrap its result with
     * {@code Asyncio.wrapFuture(CompletionStage)}.
     *
     * @param <T> the result type
     * @param future the future
     * @param loop the loop it must belong to
     * @param what the operation, for the message
     * @return the implementation
     * @throws IllegalArgumentException if it is a foreign implementation or belongs to another loop
     */
    public static <T> FutureImpl<T> ofLoop(Future<T> future, EventLoopImpl loop, String what) {
        FutureImpl<T> f = of(future);
        if (f.loop != loop) {
            throw wrongLoop(what, f, loop);
        }
        return f;
    }

    /**
     * Returns the asyncio4j future behind a future of the API.
     *
     * @param <T> the result type
     * @param future the future
     * @return the implementation
     * @throws IllegalArgumentException if it is a foreign implementation of {@link Future}
     */
    public static <T> FutureImpl<T> of(Future<T> future) {
        if (future instanceof FutureImpl<T> f) {
            return f;
        }
        if (future == null) {
            throw new NullPointerException("future");
        }
        throw new IllegalArgumentException("not an asyncio4j future: " + future + " (a Future is made by the "
                + "runtime; adapt another asynchronous result with Asyncio.wrapFuture(completionStage))");
    }

    /**
     * The one error for a future used on a loop it does not belong to (asyncio's "attached to a
     * different loop").
     *
     * @param what the operation
     * @param f the future
     * @param loop the loop of the caller
     * @return the exception to throw
     */
    public static IllegalArgumentException wrongLoop(String what, Object f, EventLoopImpl loop) {
        return new IllegalArgumentException(what + ": " + f + " is attached to a different loop than " + loop
                + ": await it from a task of its own loop, or bridge it with "
                + "Asyncio.wrapFuture(future.toCompletableFuture())");
    }

    /** {@return the loop this future belongs to} */
    public final EventLoopImpl loop() {
        return loop;
    }

    final Object rawState() {
        return STATE.getAcquire(this);
    }

    @Override
    public final boolean isDone() {
        return STATE.getAcquire(this) != PENDING;
    }

    @Override
    public final boolean isCancelled() {
        return STATE.getAcquire(this) instanceof Failure f && f.cancelled();
    }

    @Override
    public final EventLoop getLoop() {
        return loop;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final T result() {
        Object s = rawState();
        if (s == PENDING) {
            throw new InvalidStateError("Result is not set.");
        }
        if (s instanceof Failure f) {
            markRetrieved();
            throw Sneaky.rethrow(f.error());
        }
        return s == NIL ? null : (T) s;
    }

    @Override
    public final Throwable exception() {
        Object s = rawState();
        if (s == PENDING) {
            throw new InvalidStateError("Exception is not set.");
        }
        if (s instanceof Failure f) {
            if (f.cancelled()) {
                throw Sneaky.rethrow(f.error());
            }
            markRetrieved();
            return f.error();
        }
        return null;
    }

    /** {@return the stored exception or cancellation, or null; does not mark it retrieved} */
    public final Throwable peekError() {
        return rawState() instanceof Failure f ? f.error() : null;
    }

    /**
     * {@return the exception of a future that failed (not one that was cancelled), or null}
     * Does not mark it retrieved.
     */
    public final Throwable failure() {
        return rawState() instanceof Failure f && !f.cancelled() ? f.error() : null;
    }

    /**
     * Reads a failed future's exception, if it failed, so that it is not reported as never
     * retrieved: for callers that pass the failure on another way.
     *
     * @return the exception, or {@code null} if the future did not fail (or was cancelled)
     */
    public final Throwable takeFailure() {
        Throwable e = failure();
        if (e != null) {
            markRetrieved();
        }
        return e;
    }

    /**
     * Completes with an exception, a CancelledError included, without this future counting as
     * cancelled: a gather whose child was cancelled fails with that CancelledError (asyncio).
     *
     * @param error the exception
     */
    public final void failWith(Throwable error) {
        if (tryComplete(new Failure(error, false)) && !(error instanceof CancelledError)) {
            trackUnretrieved(error, null);
        }
    }

    /**
     * Completes another future with this one's outcome: its result, its exception (then read
     * here), or its cancellation (the same CancelledError).
     *
     * @param other a pending future
     */
    @SuppressWarnings("unchecked")
    public final void copyOutcomeTo(FutureImpl<T> other) {
        Object s = rawState();
        if (s instanceof Failure f) {
            if (f.cancelled()) {
                other.cancelWith((CancelledError) f.error());
            } else {
                markRetrieved();
                other.setException(f.error());
            }
        } else if (s != PENDING) {
            other.setResult(s == NIL ? null : (T) s);
        }
    }

    /** The stored exception was read another way: it is not reported as never retrieved. */
    public final void markRetrieved() {
        if (rawState() instanceof Failure f) {
            Unretrieved u = f.unretrieved;
            if (u != null) {
                f.unretrieved = null;
                u.retrieved();
            }
        }
    }

    @Override
    public void setResult(T value) {
        if (!tryComplete(value == null ? NIL : value)) {
            throw new InvalidStateError("invalid state: " + describeState());
        }
    }

    @Override
    public void setException(Throwable error) {
        if (error == null) {
            throw new NullPointerException("error");
        }
        if (!tryComplete(new Failure(error, false))) {
            throw new InvalidStateError("invalid state: " + describeState());
        }
        trackUnretrieved(error, null);
    }

    /** Reports the exception if nobody reads it (asyncio's "exception was never retrieved"). */
    final void trackUnretrieved(Throwable error, StackTraceElement[] source) {
        ((Failure) rawState()).unretrieved = loop.trackUnretrieved(this, error, source);
    }

    @Override
    public boolean cancel(String message) {
        return tryComplete(new Failure(loop.newCancelledError(message), true));
    }

    /** A task parked on this future is being cancelled: cancel the future too (cancellation flows down). */
    @Override
    public boolean cancelWaiter(TaskImpl<?> task, String message) {
        return cancel(message);
    }

    /**
     * Cancels with a given error object (used to pass on a child's cancellation as it is).
     *
     * @param error the cancellation
     * @return whether the future was pending
     */
    public final boolean cancelWith(CancelledError error) {
        return tryComplete(new Failure(error, true));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (loop.onLoopThread()) {
            return cancel((String) null);
        }
        if (isDone()) {
            return false;
        }
        loop.callSoonThreadsafe(() -> cancel((String) null));
        return true;
    }

    /** Completes the future with a done state; false if it was already done. Loop thread. */
    final boolean tryComplete(Object doneState) {
        if (STATE.getAcquire(this) != PENDING) {
            return false;
        }
        STATE.setRelease(this, doneState);
        if (callbacks != null) {
            flags |= QUEUED;
            loop.enqueue(this);
        }
        return true;
    }

    /** Runs the done callbacks; called by the loop for a queued future. */
    public final void dispatchCallbacks() {
        Object cbs = callbacks;
        callbacks = null;
        flags &= (byte) ~QUEUED;
        if (cbs instanceof Callbacks list) {
            Object[] items = list.items;
            int n = list.size;
            for (int i = 0; i < n; i++) {
                invoke(items[i]);
            }
        } else if (cbs != null) {
            invoke(cbs);
        }
    }

    @SuppressWarnings("unchecked")
    private void invoke(Object cb) {
        if (cb instanceof TaskImpl<?> waiter) {
            waiter.wakeFromFuture(this);
            return;
        }
        EventLoopImpl l = loop;
        Object[] savedCtx = l.callbackContext();
        Object savedCarrier = l.callbackCarrier();
        // a callback runs in a context of its own: what it sets dies with it (InContext installs
        // the one captured at registration)
        l.setCallbackScope(cb, null);
        try {
            ((Consumer<Object>) cb).accept(this);
        } catch (Throwable e) {
            loop.reportCallbackError(e, this, cb);
        } finally {
            l.setCallbackScope(savedCarrier, savedCtx);
        }
    }

    @Override
    public final void addDoneCallback(Consumer<? super Future<T>> callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        Object[] ctx = Contexts.current();
        addCallback(ctx == null ? callback : new InContext(callback, ctx));
    }

    /** A user done-callback registered while a context variable was set: it runs in that context. */
    private static final class InContext implements Consumer<Future<?>> {
        final Object callback;
        final Object[] ctx;

        InContext(Object callback, Object[] ctx) {
            this.callback = callback;
            this.ctx = ctx;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(Future<?> f) {
            ((FutureImpl<?>) f).loop.setCallbackContext(ctx);
            ((Consumer<Object>) callback).accept(f);
        }
    }

    /**
     * Adds a callback object: a {@code Consumer} of the future, or a waiting TaskImpl.
     *
     * @param cb the callback
     */
    public final void addCallback(Object cb) {
        if (isDone()) {
            loop.enqueue(new LateCallback(this, cb));
            return;
        }
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = cb;
        } else if (cbs instanceof Callbacks list) {
            if (list.size == list.items.length) {
                list.items = java.util.Arrays.copyOf(list.items, list.size * 2);
            }
            list.items[list.size++] = cb;
        } else {
            Callbacks list = new Callbacks();
            list.items[0] = cbs;
            list.items[1] = cb;
            list.size = 2;
            callbacks = list;
        }
    }

    /**
     * Lists the callback objects registered and not yet queued: waiting tasks, and the futures
     * and scopes that wait on this one (a gather, a task group), for the await graph.
     *
     * @return the callbacks, in registration order
     */
    public final List<Object> callbackObjects() {
        Object cbs = callbacks;
        if (cbs == null) {
            return List.of();
        }
        if (cbs instanceof Callbacks list) {
            List<Object> out = new ArrayList<>(list.size);
            for (int i = 0; i < list.size; i++) {
                if (list.items[i] != null) {
                    out.add(list.items[i]);
                }
            }
            return out;
        }
        return List.of(cbs);
    }

    /**
     * Tells whether a callback object is registered and not yet queued.
     *
     * @param cb the callback
     * @return whether it is
     */
    public final boolean hasCallback(Object cb) {
        Object cbs = callbacks;
        if (cbs == cb) {
            return true;
        }
        if (cbs instanceof Callbacks list) {
            for (int i = 0; i < list.size; i++) {
                if (list.items[i] == cb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public final int removeDoneCallback(Consumer<? super Future<T>> callback) {
        return removeCallback(callback);
    }

    /**
     * Removes every registration of a callback object that is not yet queued.
     *
     * @param cb the callback
     * @return how many registrations were removed
     */
    public final int removeCallback(Object cb) {
        Object cbs = callbacks;
        if (cbs == null || (flags & QUEUED) != 0) {
            return 0;
        }
        if (cbs == cb || (cbs instanceof InContext ic && ic.callback == cb)) {
            callbacks = null;
            return 1;
        }
        if (cbs instanceof Callbacks list) {
            int w = 0;
            int removed = 0;
            for (int r = 0; r < list.size; r++) {
                Object x = list.items[r];
                if (x == cb || (x instanceof InContext ic && ic.callback == cb)) {
                    removed++;
                } else {
                    list.items[w++] = x;
                }
            }
            for (int i = w; i < list.size; i++) {
                list.items[i] = null;
            }
            list.size = w;
            if (w == 0) {
                callbacks = null;
            }
            return removed;
        }
        return 0;
    }

    /** A callback added to a future that was already done: queued on its own, as asyncio's call_soon. */
    private static final class LateCallback implements Runnable {
        private final FutureImpl<?> future;
        private final Object callback;

        LateCallback(FutureImpl<?> future, Object callback) {
            this.future = future;
            this.callback = callback;
        }

        @Override
        public void run() {
            future.invoke(callback);
        }
    }

    // ------------------------------------------------------------------ java.util.concurrent.Future

    @Override
    public final T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            TaskImpl<?> task = TaskImpl.current();
            if (task != null && task.loop() == loop) {
                try {
                    task.awaitFuture(this);
                } catch (CancelledError e) {
                    rethrowUnlessOwnCancellation(e);
                }
            } else {
                blockForeign(-1);
            }
        }
        return reportForGet();
    }

    @Override
    public final T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        if (!isDone()) {
            TaskImpl<?> task = TaskImpl.current();
            if (task != null && task.loop() == loop) {
                try {
                    if (!Await.awaitDoneWithin(this, unit.toNanos(timeout))) {
                        throw new java.util.concurrent.TimeoutException();
                    }
                } catch (CancelledError e) {
                    rethrowUnlessOwnCancellation(e);
                }
            } else if (!blockForeign(unit.toNanos(timeout))) {
                throw new java.util.concurrent.TimeoutException();
            }
        }
        return reportForGet();
    }

    /**
     * In get() inside a task: a cancellation that is this future's own (someone cancelled the
     * future) is reported the java.util.concurrent way by reportForGet; a cancellation of the
     * waiting task propagates.
     */
    private void rethrowUnlessOwnCancellation(CancelledError e) {
        if (!(isCancelled() && e == peekError())) {
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private T reportForGet() throws ExecutionException {
        Object s = rawState();
        if (s instanceof Failure f) {
            if (f.cancelled()) {
                CancellationException ce = new CancellationException(f.error().getMessage());
                ce.initCause(f.error());
                throw ce;
            }
            markRetrieved();
            throw new ExecutionException(f.error());
        }
        return s == NIL ? null : (T) s;
    }

    /** Blocks a thread that is not the loop's until the future is done; false on timeout. */
    private boolean blockForeign(long timeoutNs) throws InterruptedException {
        if (loop.onLoopThread()) {
            throw new IllegalStateException("get() on the event loop's own thread outside a task would wait "
                    + "for the loop itself: await the future from a task, or add a done callback");
        }
        if (loop.isClosed()) {
            throw new IllegalStateException("the future's event loop is closed: the future will never complete");
        }
        CountDownLatch latch = new CountDownLatch(1);
        Consumer<Future<T>> release = f -> latch.countDown();
        loop.callSoonThreadsafe(() -> addCallback(release));
        if (timeoutNs < 0) {
            latch.await();
            return true;
        }
        return latch.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        if (loop.onLoopThread()) {
            bridgeTo(cf);
        } else {
            loop.callSoonThreadsafe(() -> bridgeTo(cf));
        }
        return cf;
    }

    /**
     * The one bridge to {@code java.util.concurrent}: mirrors this future's outcome into a
     * CompletableFuture once it is done, and cancels this future if the CompletableFuture is
     * cancelled first. Loop thread.
     *
     * @param cf the CompletableFuture to complete
     */
    @SuppressWarnings("unchecked")
    public final void bridgeTo(CompletableFuture<T> cf) {
        addCallback((Consumer<Future<T>>) f -> {
            Object s = rawState();
            if (s instanceof Failure failed) {
                if (failed.cancelled()) {
                    cf.cancel(false);
                } else {
                    markRetrieved();
                    cf.completeExceptionally(failed.error());
                }
            } else {
                cf.complete(s == NIL ? null : (T) s);
            }
        });
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !isDone()) {
                cancel(false);
            }
        });
    }

    final String describeState() {
        Object s = rawState();
        if (s == PENDING) {
            return "pending";
        }
        if (s instanceof Failure f) {
            return f.cancelled() ? "cancelled" : "finished exception=" + f.error();
        }
        return "finished result=" + (s == NIL ? null : s);
    }

    @Override
    public String toString() {
        return "<Future " + describeState() + ">";
    }
}
