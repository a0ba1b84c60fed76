package io.asyncio4j.http.testing;

import io.asyncio4j.http.Headers;
import java.io.IOException;

/**
 * A response whose body a test reads piece by piece, as it arrives (a stream, Server-Sent
 * Events, a slow reader), from {@link TestClient#stream}. Close it to drop the connection.
 */
public interface StreamedResponse extends AutoCloseable {

    /** {@return the status code} */
    int status();

    /** {@return the header fields} */
    Headers headers();

    /**
     * Reads the next body bytes that arrived. Suspends; checks for cancellation.
     *
     * @return some bytes; an empty array at the end of the body
     * @throws IOException if the connection fails or the response is malformed
     */
    byte[] readChunk() throws IOException;

    /** Closes the connection at once (a client that goes away). Never suspends. */
    @Override
    void close();
}
