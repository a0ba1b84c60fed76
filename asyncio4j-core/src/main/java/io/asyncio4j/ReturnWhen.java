package io.asyncio4j;

/** When {@link Asyncio#waitFutures} returns, as asyncio's {@code return_when}. */
public enum ReturnWhen {
    /** As soon as any future is done, cancelled ones included. */
    FIRST_COMPLETED,
    /** As soon as any future completes with an exception (cancellation does not count), or all are done. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
