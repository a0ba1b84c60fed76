package io.asyncio4j.http.ws;

import io.asyncio4j.http.Headers;
import java.io.IOException;

/**
 * The opening handshake failed on the client's side (aiohttp's {@code WSServerHandshakeError}):
 * the server did not answer {@code 101}, or its 101 broke RFC 6455 (a wrong
 * {@code Sec-WebSocket-Accept}, a subprotocol or extension that was not offered). The message
 * shows the status and the start of the body.
 */
public class WsHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The status, or 0. */
    private final int status;
    private final transient Headers headers;
    /** The start of the body. */
    private final String bodyStart;

    /**
     * Makes the exception.
     *
     * @param status the server's status (0 when the answer was not HTTP)
     * @param headers the answer's fields (empty when none)
     * @param bodyStart the start of the answer's body, "" when none
     * @param message what is wrong
     */
    public WsHandshakeException(int status, Headers headers, String bodyStart, String message) {
        super(message + (status > 0 ? " (status " + status + (bodyStart.isEmpty() ? "" : ", body: " + bodyStart) + ")" : ""));
        this.status = status;
        this.headers = headers;
        this.bodyStart = bodyStart;
    }

    /** {@return the server's status, 0 when the answer was not HTTP} */
    public int status() {
        return status;
    }

    /** {@return the answer's fields} */
    public Headers headers() {
        return headers;
    }

    /** {@return the start of the answer's body (up to 512 bytes as text), "" when none} */
    public String bodyStart() {
        return bodyStart;
    }
}
