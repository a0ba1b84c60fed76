package io.asyncio4j.http.internal.ws;

/**
 * A violation of RFC 6455 (or 7692) by the peer, found by the {@link FrameDecoder}: the
 * connection is failed with {@link #closeCode()} (1002 protocol error, 1007 invalid text, 1009
 * message too big) and the message as the close reason.
 */
public final class WsProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    /**
     * Makes the exception.
     *
     * @param closeCode the close code to fail the connection with
     * @param message what is wrong (sent as the close reason: keep it under 123 bytes)
     */
    public WsProtocolException(int closeCode, String message) {
        super(message, null, false, false);
        this.closeCode = closeCode;
    }

    /** {@return the close code to fail the connection with} */
    public int closeCode() {
        return closeCode;
    }
}
