package io.asyncio4j.http.internal.compress;

import java.io.IOException;

/**
 * A streaming decoder fed a body's pieces as they arrive, whose output comes in bounded pieces:
 * one call to {@link #decode} returns at most its maximum, and keeps the input it did not get to,
 * so a small piece of a highly compressed body (a decompression bomb) never turns into a large
 * array at once. Loop thread only; not thread-safe.
 */
public interface StreamDecoder {
    /**
     * Decodes what it can of the input it holds plus {@code data}.
     *
     * @param data the next piece of the body (may be empty, to go on with what is held)
     * @return decoded bytes, at most the decoder's maximum piece (maybe none)
     * @throws IOException if the data is not valid for the coding
     */
    byte[] decode(byte[] data) throws IOException;

    /**
     * {@return whether decoded output may be waiting without more input: call {@code decode} with
     * no data until this is false before feeding the next piece or finishing}
     */
    boolean hasPending();

    /**
     * Checks that the compressed stream ended with the body, and frees the decoder.
     *
     * @throws IOException if the stream is incomplete
     */
    void finish() throws IOException;

    /** Frees the decoder (a body abandoned midway, or after a failure); idempotent. */
    void close();
}
