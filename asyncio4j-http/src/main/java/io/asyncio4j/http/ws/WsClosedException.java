package io.asyncio4j.http.ws;

import java.io.IOException;

/**
 * A send on a {@link WebSocket} that is closing or closed (aiohttp raises
 * {@code ClientConnectionResetError} or {@code ConnectionResetError} there).
 */
public class WsClosedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The close code, or -1. */
    private final int closeCode;

    /**
     * Makes the exception.
     *
     * @param closeCode the connection's close code, or -1 if it is closing and has none yet
     * @param message what happened
     */
    public WsClosedException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** {@return the connection's close code, or -1 if none yet} */
    public int closeCode() {
        return closeCode;
    }
}
