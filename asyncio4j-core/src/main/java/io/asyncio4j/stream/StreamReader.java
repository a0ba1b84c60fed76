package io.asyncio4j.stream;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The receiving side of a stream connection: asyncio's {@code StreamReader}. Reads suspend the
 * calling task until enough data has arrived; they return what is there without waiting longer.
 *
 * {@snippet :
 * byte[] line = reader.readLine();          // up to and including '\n'
 * byte[] header = reader.readExactly(8);    // IncompleteReadError if the stream ends first
 * for (byte[] l : reader) { ... }           // the remaining lines
 * }
 *
 * <p>All reads throw the connection's error once it failed (even with data buffered), and only
 * one task may wait for data at a time: a second one gets an {@link IllegalStateException}.
 *
 * <p>Flow control: when more than twice the {@linkplain #limit() limit} is buffered, the
 * transport stops reading from the socket (the peer's writes then back up to its drain()); it
 * resumes once reads bring the buffer down to the limit, or when a read must wait for more.
 *
 * <p><b>Cancellation.</b> A read cancelled while it waits consumes nothing: every byte that
 * arrived stays buffered for the next read, even bytes that arrived in the same loop iteration as
 * the cancellation, and the reader stays usable. Only a read that returned has taken its bytes.
 */
public interface StreamReader extends Iterable<byte[]> {
    /** asyncio's default limit: 64 KiB. */
    int DEFAULT_LIMIT = 64 * 1024;

    /** {@return the buffer limit} */
    int limit();

    /** {@return the error reads throw, or {@code null}} */
    Throwable exception();

    /** {@return whether the stream ended and every byte was read} */
    boolean atEof();

    /**
     * Reads everything up to the end of the stream. Suspends; checks for cancellation.
     *
     * @return the bytes (empty at the end of the stream)
     * @throws IOException the connection's error
     */
    byte[] read() throws IOException;

    /**
     * Reads up to {@code n} bytes: waits until at least one byte is there (or the stream ended),
     * then returns what is buffered, at most {@code n}. A negative {@code n} reads to the end.
     * Suspends; checks for cancellation.
     *
     * @param n the most bytes to return
     * @return the bytes; empty at the end of the stream or for {@code n == 0}
     * @throws IOException the connection's error
     */
    byte[] read(int n) throws IOException;

    /**
     * Reads exactly {@code n} bytes. Suspends; checks for cancellation.
     *
     * @param n how many bytes
     * @return the bytes
     * @throws IncompleteReadError if the stream ends first (carrying what was read; the buffer is
     *     emptied)
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IOException the connection's error
     */
    byte[] readExactly(int n) throws IOException;

    /**
     * Reads one line, up to and including {@code '\n'}; at the end of the stream returns the
     * partial last line, then empty arrays. Suspends; checks for cancellation.
     *
     * @return the line
     * @throws LimitOverrunError if the line is longer than the limit: the line (with its
     *     separator, if it was found) is discarded first, as asyncio's readline does
     * @throws IOException the connection's error
     */
    byte[] readLine() throws IOException;

    /**
     * Reads up to and including a separator. Suspends; checks for cancellation.
     *
     * @param separator the separator, not empty
     * @return the bytes, separator included
     * @throws IncompleteReadError if the stream ends first (carrying the rest; the buffer is
     *     emptied)
     * @throws LimitOverrunError if more than the limit comes before the separator; the data stays
     *     in the buffer
     * @throws IOException the connection's error
     */
    byte[] readUntil(byte[] separator) throws IOException;

    /**
     * Reads up to and including the first of several separators to appear (asyncio 3.13): the
     * match that ends first wins. Suspends; checks for cancellation.
     *
     * @param separators the separators, none empty
     * @return the bytes, separator included
     * @throws IncompleteReadError if the stream ends first
     * @throws LimitOverrunError if more than the limit comes before a separator
     * @throws IOException the connection's error
     */
    byte[] readUntil(List<byte[]> separators) throws IOException;

    /**
     * Iterates over the remaining lines, as {@code async for line in reader} does; each step
     * suspends and throws what {@link #readLine()} throws (undeclared).
     *
     * @return an iterator of lines
     */
    @Override
    Iterator<byte[]> iterator();
}
