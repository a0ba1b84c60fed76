package io.asyncio4j;

import java.io.Serial;

/**
 * Thrown when an operation is not allowed in a future's current state, as asyncio's
 * {@code InvalidStateError}: reading the result of a pending future, or completing a done one.
 */
public class InvalidStateError extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error with a message that says which state forbade the operation.
     *
     * @param message the detail message
     */
    public InvalidStateError(String message) {
        super(message);
    }
}
