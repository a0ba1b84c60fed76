package io.asyncio4j.http.server;

/** Content codings for response compression (RFC 9110 §8.4.1). */
public enum ContentCoding {
    /** gzip (RFC 1952). */
    GZIP("gzip"),
    /** deflate: the zlib format (RFC 1950). */
    DEFLATE("deflate"),
    /** No compression. */
    IDENTITY("identity");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** {@return the coding's name in {@code Content-Encoding}} */
    public String token() {
        return token;
    }
}
