package io.asyncio4j.transport;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A bidirectional byte connection driven by the event loop: asyncio's {@code Transport}. The
 * loop reads whatever arrives and hands it to the transport's {@link Protocol}; writes are
 * buffered and flushed as the socket accepts them, without ever blocking the loop.
 *
 * <p>Writes never suspend: {@link #write} sends at once what the socket takes and buffers the
 * rest. The buffer has a high and a low water mark (64 KiB and 16 KiB by default): above the high
 * mark the protocol's {@link Protocol#pauseWriting()} is called, and once it has drained to the
 * low mark, {@link Protocol#resumeWriting()}. {@link #close()} flushes the buffer first;
 * {@link #abort()} drops it. The protocol's {@link Protocol#connectionLost} is called exactly
 * once, never from inside {@code close()}. All methods must be called on the loop's thread.
 */
public interface Transport {

    /**
     * Sends bytes, buffering what the socket does not take at once. Never suspends. The buffer's
     * bytes are consumed (its position advances); the caller may reuse it afterwards.
     *
     * @param data the bytes, from position to limit
     * @throws IllegalStateException if the transport is closing or its write side was shut down
     */
    void write(ByteBuffer data);

    /**
     * Sends bytes; see {@link #write(ByteBuffer)}. Never suspends.
     *
     * @param data the bytes (not kept)
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Sends several byte arrays in order; see {@link #write(ByteBuffer)}. Never suspends.
     *
     * @param data the byte arrays
     */
    default void writelines(List<byte[]> data) {
        for (byte[] b : data) {
            write(b);
        }
    }

    /** Shuts the write side down once the buffer is flushed (a half-close). Never suspends. */
    void writeEof();

    /** {@return whether {@link #writeEof()} is supported (not for TLS)} */
    boolean canWriteEof();

    /** Closes the transport once the write buffer is flushed; idempotent. Never suspends. */
    void close();

    /** Closes the transport at once, dropping the write buffer. Never suspends. */
    void abort();

    /** {@return whether the transport is closing or closed} */
    boolean isClosing();

    /** Stops handing received data to the protocol until {@link #resumeReading()}; idempotent. */
    void pauseReading();

    /** Resumes handing received data to the protocol; idempotent. */
    void resumeReading();

    /** {@return whether received data is handed to the protocol} */
    boolean isReading();

    /** {@return how many bytes wait in the write buffer} */
    long getWriteBufferSize();

    /**
     * Sets the write buffer's water marks.
     *
     * @param high the size above which the protocol is asked to pause writing
     * @param low the size at which it is asked to resume
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /** {@return the high water mark of the write buffer} */
    int getWriteBufferHigh();

    /** {@return the low water mark of the write buffer} */
    int getWriteBufferLow();

    /**
     * Returns information about the connection: asyncio's {@code get_extra_info}, with a typed
     * key ({@link ExtraInfo#PEERNAME}, {@link ExtraInfo#SOCKNAME}, {@link ExtraInfo#SOCKET}, and
     * on a TLS connection {@link ExtraInfo#SSL_OBJECT}, {@link ExtraInfo#CIPHER},
     * {@link ExtraInfo#PEERCERT}, {@link ExtraInfo#ALPN_PROTOCOL}). Never suspends.
     *
     * @param <T> the type of the information
     * @param key which information
     * @return the information, or {@code null} if this transport has none of that kind
     */
    <T> T getExtraInfo(ExtraInfo<T> key);

    /** {@return the protocol this transport hands its events to} */
    Protocol getProtocol();

    /**
     * Switches the protocol that receives this transport's events.
     *
     * @param protocol the new protocol
     */
    void setProtocol(Protocol protocol);
}
