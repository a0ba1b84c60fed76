package io.asyncio4j.http.internal.h1;

/**
 * The parser's limits, each answered with its own status when a request breaks it.
 *
 * @param maxStartLine the longest request or status line, CRLF excluded (8 KiB; 414)
 * @param maxHeaderBytes the largest header section (or trailer section), every line with its
 *     CRLF (16 KiB; 431)
 * @param maxHeaders the most header fields (or trailer fields) (128; 431)
 * @param maxChunkLine the longest chunk-size line, extensions included, CRLF excluded (4 KiB; 400)
 * @param maxBody the largest body, declared or streamed (1 MiB; 413); the server may change it
 *     per request before the body is read ({@link H1Parser#setBodyLimit})
 */
public record H1Limits(int maxStartLine, int maxHeaderBytes, int maxHeaders, int maxChunkLine, long maxBody) {
    /** The defaults: 8 KiB, 16 KiB, 128 fields, 4 KiB, 1 MiB. */
    public static final H1Limits DEFAULTS = new H1Limits(8 * 1024, 16 * 1024, 128, 4 * 1024, 1024 * 1024);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public H1Limits {
        if (maxStartLine <= 0 || maxHeaderBytes <= 0 || maxHeaders <= 0 || maxChunkLine <= 0 || maxBody < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * {@return these limits with another body limit}
     * @param bytes the largest body
     */
    public H1Limits withMaxBody(long bytes) {
        return new H1Limits(maxStartLine, maxHeaderBytes, maxHeaders, maxChunkLine, bytes);
    }
}
