package io.asyncio4j.http.server;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A request body as a stream: aiohttp's {@code request.content}. Reads suspend the calling task
 * until bytes arrive; the connection stops reading from the socket while 64 KiB wait unread
 * (the client's writes then back up), so a slow handler holds a bounded amount of a large
 * upload. The body of a request sent with {@code Expect: 100-continue} is asked for with
 * {@code 100 Continue} on the first read.
 *
 * {@snippet :
 * try (var out = Files.newOutputStream(target)) {
 *     for (byte[] chunk : request.content()) {     // until the end of the body
 *         out.write(chunk);
 *     }
 * }
 * }
 *
 * <p>A body larger than the client max size ({@link Application#setClientMaxSize}, 1 MiB by
 * default) fails the read with {@link HttpException} 413 (before any byte is read when the
 * length is declared, as soon as it is passed when chunked). A client that disconnects fails
 * it with an {@link IOException}. A read cancelled while it waits consumes nothing.
 */
public interface BodyReader extends Iterable<byte[]> {

    /**
     * Returns the bytes that have arrived, waiting for at least one: aiohttp's {@code readany()}.
     * Suspends; checks for cancellation.
     *
     * @return the bytes; an empty array at the end of the body
     * @throws IOException if the connection failed or the body is malformed
     */
    byte[] readAny() throws IOException;

    /**
     * Reads up to {@code n} bytes, waiting for at least one. Suspends; checks for cancellation.
     *
     * @param n the most bytes to return, or -1 for the whole rest of the body
     * @return the bytes; an empty array at the end of the body
     * @throws IOException if the connection failed or the body is malformed
     */
    byte[] read(int n) throws IOException;

    /**
     * Reads exactly {@code n} bytes. Suspends; checks for cancellation.
     *
     * @param n how many
     * @return the bytes
     * @throws java.io.EOFException if the body ends first
     * @throws IOException if the connection failed
     */
    byte[] readExactly(int n) throws IOException;

    /**
     * Reads a line, up to and including {@code \n}, or what is left at the end. Suspends; checks
     * for cancellation.
     *
     * @return the line; an empty array at the end of the body
     * @throws IOException if the connection failed or a line is longer than 64 KiB
     */
    byte[] readLine() throws IOException;

    /**
     * Reads bytes into a buffer, waiting for at least one. Suspends; checks for cancellation.
     *
     * @param dst where the bytes go (position to limit)
     * @return how many were read, or -1 at the end of the body
     * @throws IOException if the connection failed
     */
    int readInto(ByteBuffer dst) throws IOException;

    /** {@return whether the whole body has been read} */
    boolean atEof();

    /** {@return how many body bytes have been read so far} */
    long bytesRead();

    /**
     * Iterates over the body in chunks as they arrive; {@code next()} suspends. An I/O error
     * surfaces as an {@link java.io.UncheckedIOException}.
     */
    @Override
    java.util.Iterator<byte[]> iterator();
}
