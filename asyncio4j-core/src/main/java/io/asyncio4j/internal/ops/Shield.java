package io.asyncio4j.internal.ops;

import io.asyncio4j.Future;
import io.asyncio4j.internal.task.FutureImpl;
import java.util.function.Consumer;

/** asyncio.shield: an outer future whose cancellation leaves the inner one running. */
public final class Shield {
    private Shield() {
    }

    /**
     * asyncio.shield.
     *
     * @param <T> the result type
     * @param inner the future to protect
     * @return a future whose cancellation leaves {@code inner} running
     */
    public static <T> Future<T> shield(Future<T> inner) {
        return of(FutureImpl.of(inner));
    }

    /**
     * Shields a future of the runtime.
     *
     * @param <T> the result type
     * @param inner the future to protect
     * @return the outer future, or {@code inner} itself when it is done
     */
    static <T> FutureImpl<T> of(FutureImpl<T> inner) {
        if (inner.isDone()) {
            return inner;
        }
        FutureImpl<T> outer = new FutureImpl<>(inner.loop());
        Consumer<Future<?>> innerDone = f -> {
            if (outer.isDone()) {
                inner.takeFailure(); // the outer one was cancelled: nobody else can read it
                return;
            }
            inner.copyOutcomeTo(outer);
        };
        inner.addCallback(innerDone);
        outer.addCallback((Consumer<Future<?>>) o -> {
            if (!inner.isDone()) {
                inner.removeCallback(innerDone);
            }
        });
        return outer;
    }
}
