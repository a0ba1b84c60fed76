package io.asyncio4j;

/**
 * How a future ended, as a value: a {@link Success} with the result, a {@link Failure} with the
 * exception, or {@link Cancelled}. {@link Asyncio#gatherSettled} returns one per child, the Java
 * form of {@code gather(..., return_exceptions=True)}, to be read with an exhaustive switch.
 *
 * {@snippet :
 * for (Outcome<String> o : await(gatherSettled(a, b))) {
 *     switch (o) {
 *         case Outcome.Success<String>(var value) -> use(value);
 *         case Outcome.Failure<String>(var error) -> log(error);
 *         case Outcome.Cancelled<String> c -> skip();
 *     }
 * }
 * }
 *
 * @param <T> the result type
 */
public sealed interface Outcome<T> {

    /**
     * A future that completed with a result.
     *
     * @param <T> the result type
     * @param value the result
     */
    record Success<T>(T value) implements Outcome<T> {
    }

    /**
     * A future that completed with an exception.
     *
     * @param <T> the result type
     * @param error the exception
     */
    record Failure<T>(Throwable error) implements Outcome<T> {
    }

    /**
     * A future that was cancelled.
     *
     * @param <T> the result type
     * @param error the cancellation, with its message
     */
    record Cancelled<T>(CancelledError error) implements Outcome<T> {
    }

    /**
     * Reads the outcome of a done future. Never suspends.
     *
     * @param <T> the result type
     * @param future a done future
     * @return its outcome
     * @throws InvalidStateError if the future is not done
     */
    static <T> Outcome<T> of(Future<T> future) {
        if (!future.isDone()) {
            throw new InvalidStateError("Outcome of a pending future");
        }
        if (future.isCancelled()) {
            try {
                future.result();
            } catch (CancelledError e) {
                return new Cancelled<>(e);
            }
            return new Cancelled<>(new CancelledError());
        }
        Throwable error = future.exception();
        return error == null ? new Success<>(future.result()) : new Failure<>(error);
    }
}
