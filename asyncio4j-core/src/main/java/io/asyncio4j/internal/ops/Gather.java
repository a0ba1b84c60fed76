package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.Outcome;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** asyncio.gather, and gather(return_exceptions=True) as gatherSettled. */
public final class Gather {
    private Gather() {
    }

    /**
     * gather / gatherSettled.
     *
     * @param <T> the children's result type
     * @param <R> the element type of the result list
     * @param children the futures, in argument order
     * @param settled whether to collect outcomes (return_exceptions=True) instead of failing fast
     * @return the gathering future
     */
    public static <T, R> Future<List<R>> of(List<? extends Future<? extends T>> children, boolean settled) {
        EventLoopImpl loop = null;
        List<FutureImpl<?>> all = new ArrayList<>(children.size());
        for (Future<? extends T> c : children) {
            FutureImpl<?> f = FutureImpl.of(c);
            if (loop == null) {
                loop = f.loop();
            } else if (f.loop() != loop) {
                throw FutureImpl.wrongLoop("gather()", f, loop);
            }
            all.add(f);
        }
        if (loop == null) {
            loop = EventLoopImpl.running();
        }
        GatherFuture<R> g = new GatherFuture<>(loop, all, settled);
        g.start();
        return g;
    }

    /** The future of a gather: completes when every child is done, or at the first failure. */
    private static final class GatherFuture<R> extends FutureImpl<List<R>> implements Consumer<Future<?>> {
        private final List<FutureImpl<?>> children;
        private final boolean settled;
        private int remaining;
        private boolean cancelRequested;

        GatherFuture(EventLoopImpl loop, List<FutureImpl<?>> children, boolean settled) {
            super(loop);
            this.children = children;
            this.settled = settled;
        }

        void start() {
            if (children.isEmpty()) {
                setResult(List.of());
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
                child.takeFailure(); // the gather is done: its awaiter cannot see this one
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
                    failWith(loop().newCancelledError(null));
                    return;
                }
                List<Object> results = new ArrayList<>(children.size());
                for (FutureImpl<?> c : children) {
                    if (settled) {
                        c.takeFailure(); // the outcome carries it
                        results.add(Outcome.of(c));
                    } else {
                        results.add(c.result());
                    }
                }
                @SuppressWarnings("unchecked")
                List<R> typed = (List<R>) java.util.Collections.unmodifiableList(results);
                setResult(typed);
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
}
