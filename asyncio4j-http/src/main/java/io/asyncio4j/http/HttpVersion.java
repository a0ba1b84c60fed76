package io.asyncio4j.http;

/** The HTTP/1 versions this library speaks. */
public enum HttpVersion {
    /** HTTP/1.0: a connection closes after each message unless both ask to keep it. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1: persistent connections by default, chunked bodies, {@code Host} required. */
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** {@return the version as on the wire, e.g. {@code HTTP/1.1}} */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
