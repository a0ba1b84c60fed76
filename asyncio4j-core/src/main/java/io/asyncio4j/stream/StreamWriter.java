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
 * <p>A drain cancelled while waiting leaves the written data in the buffer, still to be sent, and
 * the connection open.
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
     * @throws IllegalStateException if the writer is closing or its write side was shut down
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
     * Waits until the connection is closed. Suspends; checks for cancellation.
     *
     * @throws IOException the error the connection was lost with, if any
     */
    public void waitClosed() throws IOException {
        Combinators.await(protocol.closed);
    }

    /**
     * Upgrades the connection to TLS (STARTTLS, asyncio 3.11's {@code start_tls}): after the
     * handshake, this writer and its reader carry the encrypted stream. Suspends until the
     * handshake is done; checks for cancellation.
     *
     * @param context the TLS context
     * @param serverHostname the name to verify and send in SNI, or {@code null}
     * @throws IOException if the handshake fails (the connection is then closed)
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
