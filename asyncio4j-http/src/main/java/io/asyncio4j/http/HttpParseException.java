package io.asyncio4j.http;

import java.io.IOException;

/**
 * A message that breaks HTTP/1.1's syntax or a limit, found by the parser (aiohttp's
 * {@code BadHttpMessage} and its kin). It carries the status a server answers with before
 * closing the connection: 400 for malformed syntax and ambiguous framing, 413 for a body over
 * the limit, 414 for a request line too long, 431 for too many or too long header fields, 501
 * for a transfer coding the server does not implement, 505 for an HTTP version other than 1.0
 * and 1.1.
 */
public class HttpParseException extends IOException {
    /** The status a server answers with. */
    private final int status;

    /**
     * Makes the exception.
     *
     * @param status the status a server answers with
     * @param message what is wrong, for logs and for the response's body
     */
    public HttpParseException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** {@return the status a server answers with} */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + status + " " + getMessage();
    }
}
