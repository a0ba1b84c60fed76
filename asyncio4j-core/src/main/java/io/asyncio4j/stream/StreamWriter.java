package io.asyncio4j.stream;

import io.asyncio4j.internal.Combinators;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.TaskImpl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

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
public final class StreamWriter {
    private Transport transport;
    private final StreamProtocol protocol;
    private final StreamReader reader;

    StreamWriter(Transport transport, StreamProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /** {@return the underlying transport} */
    public Transport transport() {
        return transport;
    }

    /**
     * Buffers bytes for sending. Never suspends; call {@link #drain()} to wait for room.
     *
     * @param data the bytes (not kept)
     * @throws IllegalStateException if this side closed the writer or shut its write side down
     *     (after a connection failure the bytes are dropped instead: drain() throws the failure)
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Buffers bytes for sending; see {@link #write(byte[])}. Never suspends.
     *
     * @param data the bytes, from position to limit (consumed)
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Buffers several byte arrays in order. Never suspends.
     *
     * @param data the byte arrays
     */
    public void writelines(List<byte[]> data) {
        transport.writelines(data);
    }

    /** {@return whether {@link #writeEof()} is supported} */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Shuts the write side down once the buffer is flushed. Never suspends. */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Returns information about the connection; see {@link Transport#getExtraInfo}.
     *
     * @param name the information's name
     * @return the information, or {@code null}
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * Waits until the write buffer is below its high water mark: the flow-control point after
     * writing. Suspends when the buffer is full (and once, to let a closing connection finish);
     * checks for cancellation.
     *
     * @throws IOException the reader's error, or {@code SocketException("Connection lost")} if the
     *     connection is gone
     */
    public void drain() throws IOException {
        Throwable readerError = reader.exception();
        if (readerError != null) {
            throw Sneaky.rethrow(readerError);
        }
        if (transport.isClosing()) {
            // yield once so that a pending connectionLost can run, as asyncio does
            TaskImpl<?> t = Combinators.requireTask("StreamWriter.drain()");
            t.yieldOnce();
            if (protocol.isLost()) {
                throw protocol.lostException();
            }
        }
        protocol.drainHelper();
    }

    /** Starts closing the connection (the buffer is flushed first). Never suspends. */
    public void close() {
        transport.close();
    }

    /** {@return whether the connection is closing or closed} */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed. Suspends; checks for cancellation (which leaves the
     * connection as it was).
     *
     * @throws IOException the error the connection was lost with, if any
     */
    public void waitClosed() throws IOException {
        // shielded: a cancelled waiter must not cancel the connection's own close future
        Combinators.await(Combinators.shield(protocol.closed));
    }

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
    public void startTls(javax.net.ssl.SSLContext context, String serverHostname) throws IOException {
        Transport tls = Transports.startTls(transport, protocol, context, false, serverHostname);
        transport = tls;
        protocol.replaceTransport(tls);
    }

    /**
     * Upgrades the server side of a connection to TLS; see {@link #startTls(javax.net.ssl.SSLContext, String)}.
     *
     * @param context the TLS context, with the server's key and certificate
     * @throws IOException if the handshake fails
     */
    public void startTlsServerSide(javax.net.ssl.SSLContext context) throws IOException {
        Transport tls = Transports.startTls(transport, protocol, context, true, null);
        transport = tls;
        protocol.replaceTransport(tls);
    }

    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + ">";
    }
}
