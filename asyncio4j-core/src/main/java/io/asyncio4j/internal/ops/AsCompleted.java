package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/** asyncio.as_completed: the futures in the order they finish. */
public final class AsCompleted {
    private AsCompleted() {
    }

    /**
     * asyncio.as_completed: an iterable of the futures in completion order.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param timeout overall timeout, or {@code null} for none
     * @return the iterable (single use)
     */
    public static <T> Iterable<Future<T>> of(Collection<? extends Future<T>> futures, Duration timeout) {
        return new Iterating<>(futures, timeout);
    }

    private static final class Iterating<T> implements Iterable<Future<T>>, Iterator<Future<T>>,
            Consumer<Future<?>> {
        private final EventLoopImpl loop;
        private final ArrayDeque<Future<T>> done = new ArrayDeque<>();
        private final LinkedHashSet<FutureImpl<T>> todo = new LinkedHashSet<>();
        private int remaining;
        private FutureImpl<Void> waiter;
        private TimerHandle timer;
        private boolean timedOut;
        private boolean iterated;

        Iterating(Collection<? extends Future<T>> futures, Duration timeout) {
            EventLoopImpl l = null;
            for (Future<T> f : futures) {
                FutureImpl<T> fi = FutureImpl.of(f);
                if (l == null) {
                    l = fi.loop();
                } else if (fi.loop() != l) {
                    throw FutureImpl.wrongLoop("asCompleted()", fi, l);
                }
                todo.add(fi);
            }
            loop = l != null ? l : EventLoopImpl.running();
            remaining = todo.size();
            for (FutureImpl<T> f : new ArrayList<>(todo)) {
                f.addCallback(this);
            }
            if (timeout != null && remaining > 0) {
                timer = loop.callAt(Durations.deadlineAfter(loop.time(), timeout), this::expire);
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
                TaskImpl<?> t = TaskImpl.currentOrThrow("asCompleted iteration");
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
}
