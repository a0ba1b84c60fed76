package io.asyncio4j.internal.group;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroupException;
import io.asyncio4j.internal.loop.EventLoopImpl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/*
 * Implementation overview
 *
 * One LoopGroup.run: a main task per loop, created on that loop by a callback from the caller's
 * thread, and the join. Each task's done callback runs on its own loop and records its outcome;
 * the state they share is atomic (results are plain writes, published by the `remaining`
 * decrement that the last one completes `done` after). The first failure sets `cancelling` and
 * sends a cancel to every loop; a loop whose create callback runs after that creates nothing (the
 * main counts as cancelled), one that created its task already gets the cancel after it, on the
 * same loop. So every main ends, and `done` completes exactly once, after the last.
 */

/** One {@link LoopGroup#run}: the mains of every loop and their join. */
final class MainRun<T> {
    private final LoopGroupImpl group;
    private final EventLoopImpl[] loops;
    private final AtomicReferenceArray<Task<T>> tasks;
    private final Object[] results;
    private final boolean[] cancelled;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean cancelling = new AtomicBoolean();
    private final AtomicInteger remaining;
    /** Completes once every main has ended. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    MainRun(LoopGroupImpl group, EventLoopImpl[] loops) {
        this.group = group;
        this.loops = loops;
        this.tasks = new AtomicReferenceArray<>(loops.length);
        this.results = new Object[loops.length];
        this.cancelled = new boolean[loops.length];
        this.remaining = new AtomicInteger(loops.length);
    }

    /** Creates the mains, one on each loop. Any thread. */
    void start(LoopGroup.ResultMain<T> main) {
        for (int i = 0; i < loops.length; i++) {
            int index = i;
            EventLoopImpl loop = loops[i];
            try {
                loop.enqueueThreadsafe(() -> create(loop, index, main));
            } catch (IllegalStateException closed) {
                ended(index, null, true);
            }
        }
    }

    private void create(EventLoopImpl loop, int index, LoopGroup.ResultMain<T> main) {
        if (cancelling.get()) {
            ended(index, null, true);
            return;
        }
        Task<T> t = loop.createTask("LoopGroup main " + index, () -> main.call(index));
        tasks.set(index, t);
        t.addDoneCallback(this::onDone);
    }

    private void onDone(Future<?> f) {
        int index = indexOf(f);
        if (f.isCancelled()) {
            ended(index, null, true);
            return;
        }
        Throwable error = f.exception();
        if (error != null) {
            failures.add(error);
            cancelAll();
            ended(index, null, false);
            return;
        }
        ended(index, f.result(), false);
    }

    private int indexOf(Future<?> f) {
        for (int i = 0; i < loops.length; i++) {
            if (tasks.get(i) == f) {
                return i;
            }
        }
        throw new AssertionError("not a main of this run: " + f);
    }

    private void ended(int index, Object result, boolean wasCancelled) {
        results[index] = result;
        cancelled[index] = wasCancelled;
        if (remaining.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    /** Cancels every main (the first failure, or the caller's cancellation). Any thread. */
    void cancelAll() {
        if (!cancelling.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < loops.length; i++) {
            int index = i;
            try {
                loops[i].enqueueThreadsafe(() -> {
                    Task<T> t = tasks.get(index);
                    if (t != null) {
                        t.cancel();
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed: its close cancelled the main
            }
        }
    }

    /**
     * Waits for every main; cancelled or interrupted, cancels them all and waits for them first.
     *
     * @param wantResults whether a cancelled main is an error (call) or not (run)
     * @return the results in loop order
     */
    List<T> join(boolean wantResults) {
        try {
            Waiting.await(done, "LoopGroup.run");
        } catch (CancelledError | IllegalStateException interrupted) {
            cancelAll();
            Waiting.awaitShielded(done, "LoopGroup.run");
            throw interrupted;
        } finally {
            group.runEnded(this);
        }
        if (!failures.isEmpty()) {
            List<Throwable> all = new ArrayList<>(failures);
            TaskGroupException e = new TaskGroupException("unhandled errors in the mains of a LoopGroup", all);
            for (Throwable t : all) {
                e.addSuppressed(t);
            }
            throw e;
        }
        if (wantResults) {
            for (int i = 0; i < cancelled.length; i++) {
                if (cancelled[i]) {
                    throw new CancelledError("the main of loop " + i + " was cancelled");
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Collections.unmodifiableList(Arrays.asList(results.clone()));
        return list;
    }
}
