package io.asyncio4j.http.internal.server;

import io.asyncio4j.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The sending side of a connection after a {@code 101 Switching Protocols}: what the upgraded
 * protocol writes with. Loop thread only.
 */
public final class UpgradedStream {
    private final HttpConnection conn;

    UpgradedStream(HttpConnection conn) {
        this.conn = conn;
    }

    /** {@return the connection's loop} */
    public EventLoop loop() {
        return conn.loop;
    }

    /**
     * Writes bytes (the transport takes what the socket does not accept at once). Never suspends.
     *
     * @param data the bytes
     * @throws IOException if the connection is gone
     */
    public void write(byte[] data) throws IOException {
        conn.send(ByteBuffer.wrap(data));
    }

    /**
     * Waits while the transport's buffer is above its high-water mark. Suspends; checks for
     * cancellation.
     *
     * @throws IOException if the connection is lost
     */
    public void drain() throws IOException {
        conn.drain();
    }

    /** Stops reading from the socket (backpressure on the peer). Never suspends. */
    public void pauseReading() {
        conn.upgradedReading(false);
    }

    /** Reads from the socket again. Never suspends. */
    public void resumeReading() {
        conn.upgradedReading(true);
    }

    /** Closes the connection once what was written is sent. Never suspends. */
    public void close() {
        conn.closeUpgraded(false);
    }

    /** Drops the connection at once. Never suspends. */
    public void abort() {
        conn.closeUpgraded(true);
    }

    /** {@return whether the connection is closed or lost} */
    public boolean isClosed() {
        return conn.isLost();
    }

    /** {@return the transport's extra info: the peer's address} */
    public Object peername() {
        return conn.transport().getExtraInfo(io.asyncio4j.transport.ExtraInfo.PEERNAME);
    }
}
