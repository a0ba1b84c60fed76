package io.asyncio4j;

import java.io.Serial;

/**
 * Thrown into a generator's producer at its {@link AsyncGenerator.Emitter#emit} when the consumer
 * closes the generator, so that the producer's {@code finally} blocks run: Python's
 * {@code GeneratorExit}. Like {@link CancelledError} it extends {@link Error}, so
 * {@code catch (Exception e)} in the producer does not swallow it.
 */
public class GeneratorExit extends Error {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public GeneratorExit() {
        super("generator closed", null, false, false);
    }
}
