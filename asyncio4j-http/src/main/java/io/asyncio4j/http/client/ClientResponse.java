package io.asyncio4j.http.client;

import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpVersion;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.internal.client.ResponseBody;
import io.asyncio4j.stream.StreamReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A response to a request: aiohttp's {@code ClientResponse}. Its head (status, headers, cookies)
 * has arrived when the request returns; the body is read with {@link #read()}, {@link #text()},
 * {@link #json(Class)}, or streamed with {@link #content()}. Use it with try-with-resources: closing
 * (or {@link #release()}) hands the connection back to the pool when the body was read to its end
 * and closes it otherwise, so that a half-read body never reaches the next request.
 *
 * {@snippet :
 * try (ClientResponse r = session.get("http://127.0.0.1:8080/users/42")) {
 *     r.raiseForStatus();
 *     User u = r.json(User.class);
 * }
 * }
 *
 * <p>Loop thread only, like its session.
 */
public final class ClientResponse implements AutoCloseable {
    private final HttpMethod method;
    private final URI url;
    private final int status;
    private final String reason;
    private final HttpVersion version;
    private final Headers headers;
    private final ResponseBody body;
    private final JsonCodec json;
    private List<ClientResponse> history = List.of();
    private byte[] cached;

    ClientResponse(HttpMethod method, URI url, int status, String reason, HttpVersion version, Headers headers,
                   ResponseBody body, JsonCodec json) {
        this.method = method;
        this.url = url;
        this.status = status;
        this.reason = reason;
        this.version = version;
        this.headers = headers;
        this.body = body;
        this.json = json;
    }

    void setHistory(List<ClientResponse> h) {
        history = List.copyOf(h);
    }

    /** {@return the method of the request that got this response} */
    public HttpMethod method() {
        return method;
    }

    /** {@return the URL that answered (after redirects: the last one)} */
    public URI url() {
        return url;
    }

    /** {@return the status code} */
    public int status() {
        return status;
    }

    /** {@return the reason phrase, maybe empty} */
    public String reason() {
        return reason;
    }

    /** {@return the HTTP version of the response} */
    public HttpVersion version() {
        return version;
    }

    /** {@return the header fields (read-only)} */
    public Headers headers() {
        return headers;
    }

    /**
     * {@return a header field's value, or {@code null}}
     * @param name the name (any case)
     */
    public String header(String name) {
        return headers.get(name);
    }

    /** {@return whether the status is below 400: aiohttp's {@code ok}} */
    public boolean ok() {
        return status < 400;
    }

    /** {@return the responses of the redirects that led here, oldest first (their bodies released)} */
    public List<ClientResponse> history() {
        return history;
    }

    /** {@return the {@code Content-Type}, if the response has a valid one} */
    public Optional<MediaType> contentType() {
        String ct = headers.get("Content-Type");
        return ct == null ? Optional.empty() : MediaType.tryParse(ct);
    }

    /** {@return the {@code Content-Length}, or -1 when there is none} */
    public long contentLength() {
        String v = headers.get("Content-Length");
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@return the cookies this response sets (its {@code Set-Cookie} fields), name and value;
     * the session's jar has stored them already}
     */
    public List<Cookie> cookies() {
        List<Cookie> out = new ArrayList<>();
        for (String v : headers.getAll("Set-Cookie")) {
            int semi = v.indexOf(';');
            String pair = semi < 0 ? v : v.substring(0, semi);
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.add(Cookie.of(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()));
                } catch (IllegalArgumentException e) {
                    // a malformed cookie: the jar ignored it as well
                }
            }
        }
        return out;
    }

    /**
     * Throws {@link ClientResponseError} if the status is 400 or more (releasing the connection
     * first), as aiohttp's {@code raise_for_status()}. Never suspends.
     *
     * @throws ClientResponseError if the status is 400 or more
     */
    public void raiseForStatus() throws ClientResponseError {
        if (status >= 400) {
            release();
            throw new ClientResponseError(url, status, reason, headers, history);
        }
    }

    /**
     * Reads the whole body (decompressed), and keeps it: {@code text()} and {@code json()} after
     * it return the same bytes. Suspends; checks for cancellation. A body cut short throws.
     *
     * @return the body
     * @throws ClientPayloadError if the body is cut short or malformed
     * @throws IOException if the connection fails
     */
    public byte[] read() throws IOException {
        if (cached == null) {
            cached = body.read();
        }
        return cached;
    }

    /**
     * Reads the body as text: in the {@code charset} of its {@code Content-Type}, else UTF-8 (the
     * encoding JSON must use and the usual one of text; aiohttp would guess with chardet, we do
     * not guess). Malformed bytes become U+FFFD. Suspends; checks for cancellation.
     *
     * @return the text
     * @throws IOException if reading fails
     */
    public String text() throws IOException {
        Charset cs = contentType().flatMap(MediaType::charset).orElse(StandardCharsets.UTF_8);
        return new String(read(), cs);
    }

    /**
     * Reads the body as text in a given charset. Suspends; checks for cancellation.
     *
     * @param charset the charset
     * @return the text
     * @throws IOException if reading fails
     */
    public String text(Charset charset) throws IOException {
        return new String(read(), charset);
    }

    /**
     * Reads the body and decodes it as JSON with the session's codec. The content type is not
     * checked (aiohttp checks it by default; here a wrong one is the server's problem, not the
     * reader's). Suspends; checks for cancellation.
     *
     * @param <T> the type
     * @param type the class to decode into ({@code Map.class}, {@code List.class}, a record...)
     * @return the value
     * @throws IOException if reading or decoding fails
     */
    public <T> T json(Class<T> type) throws IOException {
        return json.decode(read(), type);
    }

    /**
     * {@return the body as a stream: aiohttp's {@code resp.content}} Read it by chunk
     * ({@code read(n)}), by line ({@code readLine()}, or iterate it), exactly ({@code
     * readExactly}). Each read suspends until bytes arrive, bounded by the timeouts.
     */
    public StreamReader content() {
        return body;
    }

    /**
     * Reads the next piece of the body as it arrived (decompressed), or an empty array at the
     * end: aiohttp's {@code content.readany()}. Suspends; checks for cancellation.
     *
     * @return the piece
     * @throws IOException if the body is cut short or the connection fails
     */
    public byte[] readAny() throws IOException {
        return body.readAny();
    }

    /**
     * Ends the use of this response: the connection goes back to the pool if the body was read
     * to its end (or its rest was already buffered), and is closed otherwise. Idempotent. Never
     * suspends.
     */
    public void release() {
        body.release();
    }

    /** Releases the response, as {@link #release()}. Never suspends. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "<ClientResponse(" + url + ") [" + status + " " + reason + "]>";
    }
}
