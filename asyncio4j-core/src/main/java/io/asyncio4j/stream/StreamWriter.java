package io.asyncio4j.stream;

import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.transport.ExtraInfo;

/**
 * The sending side of a stream connection: asyncio's {@code StreamWriter}. {@link #write} never
 * suspends (it buffers); {@link #drain()} is the backpressure point: it suspends while the
 * connection's write buffer is above its high water mark, so a task writing to a slow reader
 * waits instead of buffering without bound.
 *
 * {@snippet :
 * writer.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 * writer.drain();
 * ...
 * writer.close();
 * writer.waitClosed();
 * }
 *
 * <p>Errors: once the connection failed (a reset, say), writes are dropped, as asyncio drops them,
 * and {@link #drain()} and {@link #waitClosed()} throw the failure; once this side closed it,
 * {@link #write} throws {@link IllegalStateException}.
 *
 * <p><b>Cancellation.</b> A {@link #drain()} cancelled while it waits leaves the connection open
 * and every written byte in the transport's buffer: they are still sent as the peer reads, in
 * order, and the writer stays usable (a later drain() waits again if needed). A cancelled
 * {@link #waitClosed()} leaves the connection as it was: a close in progress goes on, and a later
 * waitClosed() works.
 */
public interface StreamWriter {
    /** {@return the underlying transport} */
    Transport transport();

    /**
     * Buffers bytes for sending. Never suspends; call {@link #drain()} to wait for room.
     *
     * @param data the bytes (not kept)
     * @throws IllegalStateException if this side closed the writer or shut its write side down
     *     (after a connection failure the bytes are dropped instead: drain() throws the failure)
     */
    void write(byte[] data);

    /**
     * Buffers bytes for sending; see {@link #write(byte[])}. Never suspends.
     *
     * @param data the bytes, from position to limit (consumed)
     */
    void write(ByteBuffer data);

    /**
     * Buffers several byte arrays in order. Never suspends.
     *
     * @param data the byte arrays
     */
    void writelines(List<byte[]> data);

    /** {@return whether {@link #writeEof()} is supported} */
    boolean canWriteEof();

    /** Shuts the write side down once the buffer is flushed. Never suspends. */
    void writeEof();

    /**
     * Returns information about the connection; see {@link Transport#getExtraInfo}. Never
     * suspends.
     *
     * @param <T> the type of the information
     * @param key which information
     * @return the information, or {@code null} if the connection has none of that kind
     */
    <T> T getExtraInfo(ExtraInfo<T> key);

    /**
     * Waits until the write buffer is below its high water mark: the flow-control point after
     * writing. Suspends when the buffer is full (and once, to let a closing connection finish);
     * checks for cancellation.
     *
     * @throws IOException the reader's error, or {@code SocketException("Connection lost")} if the
     *     connection is gone
     */
    void drain() throws IOException;

    /** Starts closing the connection (the buffer is flushed first). Never suspends. */
    void close();

    /** {@return whether the connection is closing or closed} */
    boolean isClosing();

    /**
     * Waits until the connection is closed. Suspends; checks for cancellation (which leaves the
     * connection as it was).
     *
     * @throws IOException the error the connection was lost with, if any
     */
    void waitClosed() throws IOException;

    /**
     * Upgrades the connection to TLS (STARTTLS, asyncio 3.11's {@code start_tls}): after the
     * handshake, this writer and its reader carry the encrypted stream. Suspends until the
     * handshake is done (at most 60 s, as {@link Transports#startTls}); checks for cancellation.
     *
     * @param context the TLS context
     * @param serverHostname the name the server's certificate is checked against, sent in SNI
     *     unless it is an IP literal; required
     * @throws IOException if the handshake fails (the connection is then closed)
     * @throws IllegalArgumentException if {@code serverHostname} is null or empty
     */
    void startTls(javax.net.ssl.SSLContext context, String serverHostname) throws IOException;

    /**
     * Upgrades the server side of a connection to TLS; see {@link #startTls(javax.net.ssl.SSLContext, String)}.
     *
     * @param context the TLS context, with the server's key and certificate
     * @throws IOException if the handshake fails
     */
    void startTlsServerSide(javax.net.ssl.SSLContext context) throws IOException;
}
