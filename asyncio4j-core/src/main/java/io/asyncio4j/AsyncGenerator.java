package io.asyncio4j;

import java.util.Iterator;
import java.time.Duration;

/**
 * A producer coroutine that hands values to its consumer one at a time: Python's async
 * generator, made by {@link Asyncio#generator}. Iterating it (a for-each loop inside a task)
 * suspends the consumer until the producer emits the next value; the producer in turn suspends
 * in {@link Emitter#emit} until the consumer asks for another one, so it never runs ahead.
 *
 * {@snippet :
 * try (AsyncGenerator<Integer> ticks = generator(out -> {
 *     try {
 *         for (int i = 0; ; i++) {
 *             sleep(Duration.ofMillis(100));
 *             out.emit(i);
 *         }
 *     } finally {
 *         System.out.println("producer cleaned up");   // runs when the consumer stops early
 *     }
 * })) {
 *     for (int i : ticks) {
 *         if (i == 3) {
 *             break;                                       // close() runs the producer's finally
 *         }
 *     }
 * }
 * }
 *
 * <p>{@link #close()} is Python's {@code aclose()}: a producer suspended in {@code emit} receives
 * a {@link GeneratorExit} there, so its {@code finally} blocks run, and {@code close()} waits for
 * it to end. Use try-with-resources so that a {@code break}, an exception or a cancellation of
 * the consumer closes the generator; generators left open are closed when {@link Asyncio#run}
 * shuts down, as asyncio's {@code shutdown_asyncgens()} does. The producer runs as a task of its
 * own (with a copy of the consumer's context): cancelling the consumer while it waits for a value
 * cancels the producer too. What the producer throws, the consumer's iteration throws.
 *
 * @param <T> the value type
 */
public interface AsyncGenerator<T> extends Iterable<T>, Iterator<T>, AutoCloseable {

    /**
     * Tells whether the producer has another value, running it until it emits one or ends.
     * Suspends; checks for cancellation.
     *
     * @return whether {@link #next()} will return a value
     */
    @Override
    boolean hasNext();

    /**
     * Returns the producer's next value, running it until it emits one. Suspends; checks for
     * cancellation.
     *
     * @return the value
     * @throws java.util.NoSuchElementException if the producer has ended
     */
    @Override
    T next();

    /** {@return this generator, as its own single-use iterator} */
    @Override
    Iterator<T> iterator();

    /**
     * Closes the generator: Python's {@code aclose()}. A producer suspended in {@code emit}
     * receives a {@link GeneratorExit} and runs its cleanup; this method waits for it to end.
     * Idempotent. Suspends while the producer cleans up.
     *
     * @throws IllegalStateException if the producer emitted another value instead of ending
     */
    @Override
    void close();

    /**
     * The producer's side of a generator: where values are handed to the consumer.
     *
     * @param <T> the value type
     */
    @FunctionalInterface
    interface Emitter<T> {

        /**
         * Hands a value to the consumer and waits until it asks for the next one. Suspends;
         * checks for cancellation.
         *
         * @param value the value
         * @throws GeneratorExit if the consumer closed the generator
         */
        void emit(T value);
    }

    /**
     * The body of a generator's producer.
     *
     * @param <T> the value type
     */
    @FunctionalInterface
    interface Body<T> {

        /**
         * Produces values through the emitter, then returns (the end of the values) or throws.
         *
         * @param out where the values go
         * @throws Exception a failure, which the consumer's iteration throws
         */
        void run(Emitter<T> out) throws Exception;
    }
}
