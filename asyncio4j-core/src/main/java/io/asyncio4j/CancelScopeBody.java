package io.asyncio4j;

/** The body of a cancel scope run by {@link Asyncio#moveOnAfter} or {@link Asyncio#moveOnAt}. */
@FunctionalInterface
public interface CancelScopeBody {

    /**
     * Runs the body.
     *
     * @param scope the scope, which the body may cancel
     * @throws Exception a failure, which propagates out of the scope
     */
    void run(CancelScope scope) throws Exception;
}
