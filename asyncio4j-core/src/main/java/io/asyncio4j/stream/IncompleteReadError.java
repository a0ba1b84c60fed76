package io.asyncio4j.stream;

import java.io.EOFException;
import java.io.Serial;

/**
 * Thrown by {@link StreamReader#readExactly} and {@link StreamReader#readUntil} when the stream
 * ends first: asyncio's {@code IncompleteReadError}, an end-of-file error carrying what was read.
 */
public class IncompleteReadError extends EOFException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The bytes read before the end of the stream. */
    private final transient byte[] partial;
    /** How many bytes were expected, or -1. */
    private final int expected;

    /**
     * Creates the error.
     *
     * @param partial the bytes read before the end of the stream
     * @param expected how many bytes were expected, or -1 when reading up to a separator
     */
    public IncompleteReadError(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : expected)
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** {@return the bytes read before the end of the stream} */
    public byte[] partial() {
        return partial.clone();
    }

    /** {@return how many bytes were expected, or -1 when reading up to a separator} */
    public int expected() {
        return expected;
    }
}
