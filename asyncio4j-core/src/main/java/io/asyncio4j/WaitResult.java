package io.asyncio4j;

import java.util.Set;

/**
 * What {@link Asyncio#waitFutures} returns: the futures that are done and those still pending, as
 * asyncio's {@code (done, pending)} pair.
 *
 * @param <T> the futures' result type
 * @param done the futures that are done (unmodifiable, in completion order)
 * @param pending the futures still pending (unmodifiable)
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {

    /** Copies both sets. */
    public WaitResult {
        done = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(done));
        pending = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pending));
    }
}
