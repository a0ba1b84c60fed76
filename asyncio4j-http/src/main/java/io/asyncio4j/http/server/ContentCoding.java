package io.asyncio4j.http.server;

import io.asyncio4j.http.internal.compress.Codecs;

/**
 * Content codings for response compression (RFC 9110 §8.4.1).
 *
 * <p>{@link #BROTLI} needs the optional library brotli4j (with its native library for the
 * platform) on the class or module path; gzip and deflate come with the JDK.
 */
public enum ContentCoding {
    /** gzip (RFC 1952). */
    GZIP("gzip"),
    /** deflate: the zlib format (RFC 1950). */
    DEFLATE("deflate"),
    /** brotli (RFC 7932), {@code br}: through brotli4j, when it is present. */
    BROTLI("br"),
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

    /**
     * {@return whether this process can compress with the coding: always, but for {@link
     * #BROTLI} only when brotli4j and its native library loaded} Never suspends.
     */
    public boolean isAvailable() {
        return this != BROTLI || Codecs.brotli();
    }
}
