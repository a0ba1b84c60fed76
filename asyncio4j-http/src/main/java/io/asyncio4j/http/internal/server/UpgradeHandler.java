package io.asyncio4j.http.internal.server;

import java.nio.ByteBuffer;

/**
 * The protocol a connection is handed to after a {@code 101 Switching Protocols}
 * ({@link Exchange#upgrade}): it gets the connection's input from then on. Called on the loop,
 * from the connection's protocol callbacks.
 */
public interface UpgradeHandler {
    /**
     * Bytes arrived: consume what can be used (move the position); the rest stays in the buffer
     * and more is appended to it.
     *
     * @param in the connection's input, from position to limit
     */
    void dataReceived(ByteBuffer in);

    /**
     * The peer shut its sending side.
     *
     * @return true to keep the connection half-open, false to close it
     */
    boolean eofReceived();

    /**
     * The connection is gone.
     *
     * @param error the error, or {@code null} after a normal close
     */
    void connectionLost(Throwable error);

    /** The server shuts down gracefully: end the protocol's session politely (WebSocket: close 1001). */
    void shutdown();
}
