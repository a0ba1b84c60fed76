package io.asyncio4j.stream;

import java.io.IOException;
import java.io.Serial;

/**
 * Thrown when a line or a chunk up to a separator is longer than the reader's limit: asyncio's
 * {@code LimitOverrunError}. {@link StreamReader#readUntil} leaves the data in the buffer;
 * {@link StreamReader#readLine()} discards the over-long line first, as asyncio's readline does.
 */
public class LimitOverrunError extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How many bytes to consume to get past the data examined. */
    private final int consumed;

    /**
     * Creates the error.
     *
     * @param message what happened
     * @param consumed how many bytes to consume to get past the data examined
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** {@return how many bytes to consume to get past the data examined} */
    public int consumed() {
        return consumed;
    }
}
