package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.HttpVersion;

/**
 * Writes HTTP/1.1 heads and chunk framing (RFC 9112) into a {@link ByteSink}. Header names and
 * values were checked when they were added to {@link Headers}, so nothing here can split a
 * message. Status lines of the registered statuses are prepared once.
 */
public final class H1Encoder {
    private H1Encoder() {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SP = {':', ' '};
    private static final byte[][] STATUS_LINES_11 = new byte[600][];
    /** The last chunk and the end of an empty trailer section. */
    public static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(ISO_8859_1);
    /** The interim response to {@code Expect: 100-continue}. */
    public static final byte[] CONTINUE_100 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1);

    static {
        for (int code = 100; code < 600; code++) {
            HttpStatus s = HttpStatus.of(code);
            if (!s.reason().isEmpty()) {
                STATUS_LINES_11[code] = ("HTTP/1.1 " + code + " " + s.reason() + "\r\n").getBytes(ISO_8859_1);
            }
        }
    }

    /**
     * Writes a status line.
     *
     * @param out the sink
     * @param version the version
     * @param code the status code
     * @param reason the reason phrase (checked by {@link HttpStatus})
     */
    public static void statusLine(ByteSink out, HttpVersion version, int code, String reason) {
        if (version == HttpVersion.HTTP_1_1 && code < 600 && STATUS_LINES_11[code] != null
                && HttpStatus.of(code).reason().equals(reason)) {
            out.put(STATUS_LINES_11[code]);
            return;
        }
        out.putLatin1(version.text()).put(' ').putDecimal(code).put(' ').putLatin1(reason).put(CRLF);
    }

    /**
     * Writes an HTTP/1.1 status line; the registered statuses' lines are prepared once.
     *
     * @param out the sink
     * @param status the status
     */
    public static void statusLine(ByteSink out, HttpStatus status) {
        int code = status.code();
        if (code < 600 && STATUS_LINES_11[code] != null && STATUSES[code] == status) {
            out.put(STATUS_LINES_11[code]); // a registered constant: its line is ready
            return;
        }
        statusLine(out, HttpVersion.HTTP_1_1, code, status.reason());
    }

    private static final HttpStatus[] STATUSES = new HttpStatus[600];

    static {
        for (int code = 100; code < 600; code++) {
            STATUSES[code] = HttpStatus.of(code);
        }
    }

    /**
     * Writes a request line.
     *
     * @param out the sink
     * @param method the method
     * @param target the request target (visible ASCII)
     * @throws IllegalArgumentException if the target holds a space or a control character
     */
    public static void requestLine(ByteSink out, HttpMethod method, String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("a request target must be visible ASCII (percent-encode the rest): "
                        + target);
            }
        }
        out.putLatin1(method.name()).put(' ').putLatin1(target).put(' ').putLatin1("HTTP/1.1").put(CRLF);
    }

    /**
     * Writes one field line.
     *
     * @param out the sink
     * @param name the name (a token)
     * @param value the value (checked)
     */
    public static void field(ByteSink out, String name, String value) {
        out.putLatin1(name).put(COLON_SP).putLatin1(value).put(CRLF);
    }

    /**
     * {@return a whole field line, encoded once: for fields every response carries}
     * @param name the name
     * @param value the value
     */
    public static byte[] fieldLine(String name, String value) {
        return (name + ": " + value + "\r\n").getBytes(ISO_8859_1);
    }

    /**
     * Writes one field line with a number as its value.
     *
     * @param out the sink
     * @param name the name (a token)
     * @param value the value
     */
    public static void field(ByteSink out, String name, long value) {
        out.putLatin1(name).put(COLON_SP).putDecimal(value).put(CRLF);
    }

    /**
     * Writes every field.
     *
     * @param out the sink
     * @param headers the fields
     */
    public static void fields(ByteSink out, Headers headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            field(out, headers.name(i), headers.value(i));
        }
    }

    /**
     * Ends a head (the empty line).
     *
     * @param out the sink
     */
    public static void endHead(ByteSink out) {
        out.put(CRLF);
    }

    /**
     * Writes a chunk's size line.
     *
     * @param out the sink
     * @param size the chunk's size, above 0
     */
    public static void chunkHeader(ByteSink out, long size) {
        out.putHex(size).put(CRLF);
    }

    /**
     * Writes the CRLF after a chunk's data.
     *
     * @param out the sink
     */
    public static void chunkEnd(ByteSink out) {
        out.put(CRLF);
    }

    /**
     * Writes the last chunk with trailer fields.
     *
     * @param out the sink
     * @param trailers the trailers, maybe empty
     */
    public static void lastChunk(ByteSink out, Headers trailers) {
        if (trailers == null || trailers.isEmpty()) {
            out.put(LAST_CHUNK);
            return;
        }
        out.put('0').put(CRLF);
        fields(out, trailers);
        out.put(CRLF);
    }
}
