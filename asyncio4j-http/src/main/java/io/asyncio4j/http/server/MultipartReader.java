package io.asyncio4j.http.server;

import java.io.IOException;

/**
 * The parts of a {@code multipart/*} body, one after the other as they stream in: aiohttp's
 * {@code await request.multipart()}. Memory stays bounded by the part being read: a file part
 * is read chunk by chunk with {@link BodyPart#readChunk()}.
 *
 * {@snippet :
 * MultipartReader parts = request.multipart();
 * for (BodyPart part; (part = parts.next()) != null; ) {
 *     if (part.filename().isPresent()) {
 *         for (byte[] c; (c = part.readChunk()).length > 0; ) {
 *             out.write(c);
 *         }
 *     }
 * }
 * }
 */
public interface MultipartReader {

    /**
     * Moves to the next part, skipping what is left of the current one. Suspends; checks for
     * cancellation.
     *
     * @return the part, or {@code null} after the last one
     * @throws IOException if the body is malformed or the connection failed
     */
    BodyPart next() throws IOException;
}
