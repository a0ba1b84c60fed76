package io.asyncio4j.http.server;

import io.asyncio4j.http.Headers;
import java.io.IOException;
import java.util.Optional;

/**
 * One part of a {@code multipart} body, streamed: aiohttp's {@code BodyPartReader}. Its bytes
 * come straight from the connection as they arrive; reading the next part first skips what is
 * left of this one.
 */
public interface BodyPart {

    /** {@return the part's headers} */
    Headers headers();

    /** {@return the {@code name} of its {@code Content-Disposition}, if any} */
    Optional<String> name();

    /** {@return the {@code filename} of its {@code Content-Disposition}, if any} */
    Optional<String> filename();

    /** {@return its {@code Content-Type}, {@code text/plain} when absent (RFC 7578)} */
    String contentType();

    /**
     * Reads the next piece of the part. Suspends; checks for cancellation.
     *
     * @return some bytes; an empty array at the end of the part
     * @throws IOException if the body is malformed or the connection failed
     */
    byte[] readChunk() throws IOException;

    /**
     * Reads the whole part. Suspends; checks for cancellation.
     *
     * @return the bytes
     * @throws IOException if the body is malformed or the connection failed
     */
    byte[] read() throws IOException;

    /**
     * Reads the whole part as text, in its charset (UTF-8 when it names none). Suspends; checks
     * for cancellation.
     *
     * @return the text
     * @throws IOException if the body is malformed or the connection failed
     */
    String text() throws IOException;
}
