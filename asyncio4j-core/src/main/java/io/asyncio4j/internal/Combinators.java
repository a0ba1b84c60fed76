package io.asyncio4j.internal;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.Outcome;
import io.asyncio4j.ReturnWhen;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.WaitResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** await, sleep and the combinators of asyncio, on the internal types; {@code Asyncio} delegates here. */
public final class Combinators {
    private Combinators() {
    }

    // ------------------------------------------------------------------ await and sleep

    /**
     * Waits for a future from a task; see {@code Asyncio.await}.
     *
     * @param <T> the result type
     * @param future the future
     * @return its result
     */
    public static <T> T await(Future<T> future) {
        FutureImpl<T> f = impl(future);
        if (f.isDone()) {
            return f.result();
        }
        TaskImpl<?> t = TaskImpl.current();
        if (t == null) {
            throw notInTask("await()");
        }
        if (f.loop != t.loop) {
            throw new IllegalStateException("Task " + t + " got Future " + f + " attached to a different loop: "
                    + "await it from a task of its own loop, or bridge it with "
                    + "Asyncio.wrapFuture(future.toCompletableFuture())");
        }
        if (f == t) {
            throw new IllegalStateException("Task cannot await on itself: " + t);
        }
        t.awaitFuture(f);
        return f.result();
    }

    static <T> FutureImpl<T> impl(Future<T> future) {
        if (future instanceof FutureImpl<T> f) {
            return f;
        }
        if (future == null) {
            throw new NullPointerException("future");
        }
        throw new IllegalArgumentException("not an asyncio4j future: " + future);
    }

    /** {@return the current task} @throws IllegalStateException with advice when there is none */
    public static TaskImpl<?> requireTask(String what) {
        TaskImpl<?> t = TaskImpl.current();
        if (t == null) {
            throw notInTask(what);
        }
        return t;
    }

    private static IllegalStateException notInTask(String what) {
        if (EventLoopImpl.runningOrNull() != null) {
            return new IllegalStateException(what + " was called from a callback on the event loop thread, "
                    + "not from a task: a callback cannot suspend. Run the code in a task (createTask), or react "
                    + "to the future with addDoneCallback.");
        }
        return new IllegalStateException(what + " must be called from a task: run the code with Asyncio.run(...) "
                + "or createTask(...); another thread can wait for a future with get()");
    }

    /**
     * Suspends the current task for a time; zero or less yields once.
     *
     * @param nanos how long
     */
    public static void sleep(long nanos) {
        TaskImpl<?> t = requireTask("sleep()");
        if (nanos <= 0) {
            t.yieldOnce();
            return;
        }
        t.checkpointBeforeSuspend();
        SleepTimer st = new SleepTimer(t);
        long now = t.loop.time();
        st.whenNs = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        t.loop.addTimer(st);
        t.park(st);
    }

    // ------------------------------------------------------------------ gather

    /**
     * gather / gatherSettled.
     *
     * @param <T> the children's result type
     * @param <R> the element type of the result list
     * @param children the futures, in argument order
     * @param settled whether to collect outcomes (return_exceptions=True) instead of failing fast
     * @return the gathering future
     */
    public static <T, R> Future<List<R>> gather(List<? extends Future<? extends T>> children, boolean settled) {
        EventLoopImpl loop = null;
        List<FutureImpl<?>> all = new ArrayList<>(children.size());
        for (Future<? extends T> c : children) {
            FutureImpl<?> f = impl(c);
            if (loop == null) {
                loop = f.loop;
            } else if (f.loop != loop) {
                throw new IllegalArgumentException("all futures passed to gather must belong to the same event loop");
            }
            all.add(f);
        }
        if (loop == null) {
            loop = EventLoopImpl.running();
        }
        Gather<R> g = new Gather<>(loop, all, settled);
        g.start();
        return g;
    }

    /** The future of a gather: completes when every child is done, or at the first failure. */
    private static final class Gather<R> extends FutureImpl<List<R>> implements Consumer<Future<?>> {
        private final List<FutureImpl<?>> children;
        private final boolean settled;
        private int remaining;
        private boolean cancelRequested;

        Gather(EventLoopImpl loop, List<FutureImpl<?>> children, boolean settled) {
            super(loop);
            this.children = children;
            this.settled = settled;
        }

        void start() {
            if (children.isEmpty()) {
                tryComplete(List.of());
                return;
            }
            // a future passed twice is waited for once (asyncio E4): a pending one shows in its
            // callback list, a done one in the small identity set of done children
            List<FutureImpl<?>> done = null;
            for (FutureImpl<?> c : children) {
                if (c.isDone()) {
                    if (done == null) {
                        done = new ArrayList<>();
                    }
                    if (!containsIdentity(done, c)) {
                        done.add(c);
                        remaining++;
                    }
                } else if (!c.hasCallback(this)) {
                    c.addCallback(this);
                    remaining++;
                }
            }
            // as asyncio 3.12: children already done count now, so a gather of done futures
            // (eager tasks that finished) is done when it returns
            if (done != null) {
                for (FutureImpl<?> c : done) {
                    accept(c);
                }
            }
        }

        private static boolean containsIdentity(List<FutureImpl<?>> list, FutureImpl<?> f) {
            for (FutureImpl<?> x : list) {
                if (x == f) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void accept(Future<?> done) {
            FutureImpl<?> child = (FutureImpl<?>) done;
            remaining--;
            if (isDone()) {
                if (!child.isCancelled() && child.peekError() != null) {
                    child.markRetrieved();
                }
                return;
            }
            if (!settled) {
                Throwable e = child.peekError();
                if (e != null) {
                    if (!child.isCancelled()) {
                        child.markRetrieved();
                    }
                    failWith(e);
                    return;
                }
            }
            if (remaining == 0) {
                if (cancelRequested) {
                    failWith(loop.newCancelledError(null));
                    return;
                }
                List<Object> results = new ArrayList<>(children.size());
                for (FutureImpl<?> c : children) {
                    if (settled) {
                        if (!c.isCancelled() && c.peekError() != null) {
                            c.markRetrieved();
                        }
                        results.add(Outcome.of(c));
                    } else {
                        results.add(c.result());
                    }
                }
                @SuppressWarnings("unchecked")
                List<R> typed = (List<R>) java.util.Collections.unmodifiableList(results);
                tryComplete(typed);
            }
        }

        private void failWith(Throwable e) {
            tryComplete(new Failure(e, false));
            if (!(e instanceof CancelledError)) {
                loop.trackUnretrieved(this, e);
            }
        }

        @Override
        public boolean cancel(String message) {
            if (isDone()) {
                return false;
            }
            boolean any = false;
            for (FutureImpl<?> c : children) {
                if (c.cancel(message)) {
                    any = true;
                }
            }
            if (any) {
                cancelRequested = true;
            }
            return any;
        }
    }

    // ------------------------------------------------------------------ wait

    /**
     * asyncio.wait.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param when when to return
     * @param timeoutNs the timeout, or a negative value for none
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> futures, ReturnWhen when, long timeoutNs) {
        if (when == null) {
            throw new NullPointerException("returnWhen");
        }
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("Set of Futures is empty.");
        }
        TaskImpl<?> t = requireTask("wait()");
        LinkedHashSet<FutureImpl<T>> set = new LinkedHashSet<>();
        for (Future<T> f : futures) {
            FutureImpl<T> fi = impl(f);
            if (fi.loop != t.loop) {
                throw new IllegalArgumentException("all futures passed to wait must belong to the task's loop");
            }
            set.add(fi);
        }
        EventLoopImpl loop = t.loop;
        FutureImpl<Void> waiter = new FutureImpl<>(loop);
        List<Future<T>> completed = new ArrayList<>();
        int[] counter = {set.size()};
        Consumer<Future<?>> onCompletion = f -> {
            @SuppressWarnings("unchecked")
            Future<T> ft = (Future<T>) f;
            completed.add(ft);
            counter[0]--;
            FutureImpl<?> fi = (FutureImpl<?>) f;
            if (counter[0] <= 0 || when == ReturnWhen.FIRST_COMPLETED
                    || (when == ReturnWhen.FIRST_EXCEPTION && !fi.isCancelled() && fi.peekError() != null)) {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            }
        };
        for (FutureImpl<T> f : set) {
            f.addCallback(onCompletion);
        }
        TimerHandleImpl timer = null;
        if (timeoutNs >= 0) {
            timer = (TimerHandleImpl) loop.callAt(loop.time() + timeoutNs, () -> {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            });
        }
        try {
            t.awaitFuture(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (FutureImpl<T> f : set) {
                f.removeCallback(onCompletion);
            }
        }
        LinkedHashSet<Future<T>> done = new LinkedHashSet<>();
        for (Future<T> f : completed) {
            done.add(f);
        }
        LinkedHashSet<Future<T>> pending = new LinkedHashSet<>();
        for (FutureImpl<T> f : set) {
            if (f.isDone()) {
                done.add(f);
            } else {
                pending.add(f);
            }
        }
        return new WaitResult<>(done, pending);
    }

    // ------------------------------------------------------------------ as_completed

    /**
     * asyncio.as_completed: an iterable of the futures in completion order.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param timeoutNs overall timeout, or negative for none
     * @return the iterable (single use)
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> futures, long timeoutNs) {
        return new AsCompleted<>(futures, timeoutNs);
    }

    private static final class AsCompleted<T> implements Iterable<Future<T>>, Iterator<Future<T>>,
            Consumer<Future<?>> {
        private final EventLoopImpl loop;
        private final ArrayDeque<Future<T>> done = new ArrayDeque<>();
        private final LinkedHashSet<FutureImpl<T>> todo = new LinkedHashSet<>();
        private int remaining;
        private FutureImpl<Void> waiter;
        private TimerHandleImpl timer;
        private boolean timedOut;
        private boolean iterated;

        AsCompleted(Collection<? extends Future<T>> futures, long timeoutNs) {
            EventLoopImpl l = null;
            for (Future<T> f : futures) {
                FutureImpl<T> fi = impl(f);
                if (l == null) {
                    l = fi.loop;
                } else if (fi.loop != l) {
                    throw new IllegalArgumentException("all futures passed to asCompleted must belong to one loop");
                }
                todo.add(fi);
            }
            loop = l != null ? l : EventLoopImpl.running();
            remaining = todo.size();
            for (FutureImpl<T> f : new ArrayList<>(todo)) {
                f.addCallback(this);
            }
            if (timeoutNs >= 0 && remaining > 0) {
                timer = (TimerHandleImpl) loop.callAt(loop.time() + timeoutNs, this::expire);
            }
        }

        @Override
        public void accept(Future<?> f) {
            @SuppressWarnings("unchecked")
            FutureImpl<T> ft = (FutureImpl<T>) f;
            if (!todo.remove(ft)) {
                return;
            }
            done.add(ft);
            if (todo.isEmpty() && timer != null) {
                timer.cancel();
            }
            wakeWaiter();
        }

        private void expire() {
            timedOut = true;
            for (FutureImpl<T> f : todo) {
                f.removeCallback(this);
            }
            todo.clear();
            wakeWaiter();
        }

        private void wakeWaiter() {
            FutureImpl<Void> w = waiter;
            if (w != null && !w.isDone()) {
                w.setResult(null);
            }
        }

        @Override
        public Iterator<Future<T>> iterator() {
            if (iterated) {
                throw new IllegalStateException("asCompleted(...) can be iterated once");
            }
            iterated = true;
            return this;
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public Future<T> next() {
            if (remaining <= 0) {
                throw new NoSuchElementException();
            }
            while (done.isEmpty()) {
                if (timedOut) {
                    throw new TimeoutError("asCompleted: timed out with " + remaining + " futures pending");
                }
                TaskImpl<?> t = requireTask("asCompleted iteration");
                waiter = new FutureImpl<>(loop);
                try {
                    t.awaitFuture(waiter);
                } finally {
                    waiter = null;
                }
            }
            remaining--;
            return done.poll();
        }
    }

    // ------------------------------------------------------------------ shield

    /**
     * asyncio.shield.
     *
     * @param <T> the result type
     * @param inner the future to protect
     * @return a future whose cancellation leaves {@code inner} running
     */
    public static <T> Future<T> shield(Future<T> inner) {
        return shieldImpl(impl(inner));
    }

    static <T> FutureImpl<T> shieldImpl(FutureImpl<T> inner) {
        if (inner.isDone()) {
            return inner;
        }
        FutureImpl<T> outer = new FutureImpl<>(inner.loop);
        Consumer<Future<?>> innerDone = f -> {
            if (outer.isDone()) {
                if (!inner.isCancelled() && inner.peekError() != null) {
                    inner.markRetrieved();
                }
                return;
            }
            Object s = inner.rawState();
            if (s instanceof FutureImpl.Failure fail) {
                if (fail.cancelled) {
                    outer.cancelWith((CancelledError) fail.error);
                } else {
                    inner.markRetrieved();
                    outer.setException(fail.error);
                }
            } else {
                @SuppressWarnings("unchecked")
                T v = s == FutureImpl.NIL ? null : (T) s;
                outer.setResult(v);
            }
        };
        inner.addCallback(innerDone);
        outer.addCallback((Consumer<Future<?>>) o -> {
            if (!inner.isDone()) {
                inner.removeCallback(innerDone);
            }
        });
        return outer;
    }

    // ------------------------------------------------------------------ wait_for and timeouts

    /**
     * asyncio.wait_for on a coroutine: runs it in the current task under a timeout.
     *
     * @param <T> the result type
     * @param body the coroutine
     * @param timeoutNs the timeout, or negative for none
     * @return its result
     */
    public static <T> T waitFor(Callable<T> body, long timeoutNs) {
        TaskImpl<?> t = requireTask("waitFor()");
        if (timeoutNs < 0) {
            return call(body);
        }
        if (timeoutNs == 0) {
            throw new TimeoutError("timed out", null, t.loop.newCancelledError(null));
        }
        try (TimeoutImpl _ = TimeoutImpl.open(t.loop.time() + timeoutNs, true)) {
            return call(body);
        }
    }

    /**
     * asyncio.wait_for on a future: on timeout cancels it and waits for it to finish.
     *
     * @param <T> the result type
     * @param future the future
     * @param timeoutNs the timeout, or negative for none
     * @return its result
     */
    public static <T> T waitFor(Future<T> future, long timeoutNs) {
        FutureImpl<T> f = impl(future);
        if (timeoutNs < 0 || f.isDone()) {
            return await(f);
        }
        TaskImpl<?> t = requireTask("waitFor()");
        try (TimeoutImpl _ = TimeoutImpl.open(t.loop.time() + Math.max(0, timeoutNs), true)) {
            return await(f);
        }
    }

    private static <T> T call(Callable<T> body) {
        return Sneaky.call(body);
    }

    /** Waits, inside a task, until a future is done or the time is up; does not cancel it. */
    static boolean awaitDoneWithin(FutureImpl<?> f, long timeoutNs) {
        TaskImpl<?> t = TaskImpl.current();
        TimeoutImpl s = TimeoutImpl.open(t.loop.time() + timeoutNs, true);
        boolean timedOut = false;
        try {
            t.awaitFuture(shieldImpl(f));
        } catch (TimeoutError e) {
            if (e.timeout() != s) {
                throw e;
            }
            timedOut = true;
        } finally {
            s.close();
        }
        return !timedOut;
    }

    // ------------------------------------------------------------------ bridges

    /**
     * Wraps a {@link CompletionStage} in a future of the running loop; cancelling the future
     * cancels the stage when it is a {@link java.util.concurrent.Future}.
     *
     * @param <T> the result type
     * @param stage the stage
     * @return the future
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        EventLoopImpl loop = EventLoopImpl.running();
        FutureImpl<T> f = new FutureImpl<>(loop);
        stage.whenComplete((v, e) -> loop.callSoonThreadsafe(() -> {
            if (f.isDone()) {
                return;
            }
            if (e == null) {
                f.setResult(v);
                return;
            }
            Throwable cause = e;
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof java.util.concurrent.CancellationException) {
                f.cancel(cause.getMessage());
            } else {
                f.setException(cause);
            }
        }));
        if (stage instanceof java.util.concurrent.Future<?> jf) {
            f.addCallback((Consumer<Future<?>>) x -> {
                if (x.isCancelled()) {
                    jf.cancel(true);
                }
            });
        }
        return f;
    }

    /**
     * Wraps any {@link java.util.concurrent.Future}: a {@link CompletableFuture} directly, another
     * by waiting for it on the default executor.
     *
     * @param <T> the result type
     * @param future the future
     * @return a future of the running loop
     */
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        if (future instanceof FutureImpl<T> f) {
            return f;
        }
        if (future instanceof CompletionStage<?>) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> stage = (CompletionStage<T>) future;
            return wrapFuture(stage);
        }
        EventLoopImpl loop = EventLoopImpl.running();
        Future<T> f = loop.runInExecutor(() -> {
            try {
                return future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw Sneaky.rethrow(e.getCause());
            }
        });
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                future.cancel(true);
            }
        });
        return f;
    }
}
