package io.asyncio4j.http.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.internal.compress.Codecs;
import io.asyncio4j.http.internal.h1.HttpDate;
import io.asyncio4j.http.internal.server.Exchange;
import io.asyncio4j.http.internal.server.RequestImpl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A response whose body the handler writes as it goes: aiohttp's {@code web.StreamResponse}. Set
 * the status and headers, {@link #prepare} it (the head is sent), {@link #write} the body in
 * pieces (each write waits while the client is slow to read), then {@link #writeEof()}. Without
 * a declared {@link #setContentLength length} an HTTP/1.1 body is chunked; an HTTP/1.0 one ends
 * with the connection.
 *
 * {@snippet :
 * StreamResponse r = new StreamResponse();
 * r.setContentType("text/plain");
 * r.prepare(request);
 * for (String line : lines) {
 *     r.write(line + "\n");        // suspends while the client's socket is full
 * }
 * r.writeEof();
 * return r;
 * }
 *
 * <p>A handler returns the response it prepared; the server ends it if the handler did not. The
 * body of a response to {@code HEAD} is not sent (its {@code Content-Length} is, as for GET).
 */
public class StreamResponse {
    private HttpStatus status;
    private final Headers headers = new Headers();
    private Map<String, Cookie> cookies;
    private long contentLength = -1;
    private boolean chunked;
    private boolean forceClose;
    private ContentCoding compression;
    private boolean compressionAuto;
    private Exchange exchange;

    /** Makes a 200 OK response. */
    public StreamResponse() {
        this(HttpStatus.OK);
    }

    /**
     * Makes a response with a status.
     *
     * @param status the status
     */
    public StreamResponse(HttpStatus status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    /** {@return the status} */
    public HttpStatus status() {
        return status;
    }

    /**
     * Sets the status, before {@link #prepare}.
     *
     * @param status the status
     * @return this response
     * @throws IllegalStateException once prepared
     */
    public StreamResponse setStatus(HttpStatus status) {
        checkNotPrepared();
        this.status = Objects.requireNonNull(status, "status");
        return this;
    }

    /**
     * Sets the status by code, before {@link #prepare}.
     *
     * @param code the code
     * @return this response
     */
    public StreamResponse setStatus(int code) {
        return setStatus(HttpStatus.of(code));
    }

    /** {@return the headers (mutable until prepared)} */
    public final Headers headers() {
        return headers;
    }

    /**
     * Sets a cookie ({@code Set-Cookie}); a second cookie of the same name replaces the first.
     *
     * @param cookie the cookie
     * @return this response
     */
    public StreamResponse setCookie(Cookie cookie) {
        checkNotPrepared();
        if (cookies == null) {
            cookies = new LinkedHashMap<>();
        }
        cookies.put(cookie.name(), cookie);
        return this;
    }

    /**
     * Sets a session cookie with no attributes.
     *
     * @param name the name
     * @param value the value
     * @return this response
     */
    public StreamResponse setCookie(String name, String value) {
        return setCookie(Cookie.of(name, value));
    }

    /**
     * Deletes a cookie on the client: sets it empty and expired (aiohttp's {@code del_cookie}).
     *
     * @param name the name
     * @param path the path it was set for, or {@code null} for "/"
     * @return this response
     */
    public StreamResponse delCookie(String name, String path) {
        return setCookie(Cookie.of(name, "").withMaxAge(Duration.ZERO).withExpires(Instant.EPOCH)
                .withPath(path == null ? "/" : path));
    }

    /** {@return the cookies to set, by name} */
    public Map<String, Cookie> cookies() {
        return cookies == null ? Map.of() : java.util.Collections.unmodifiableMap(cookies);
    }

    /** {@return the {@code Content-Type}, if set} */
    public Optional<String> contentType() {
        return Optional.ofNullable(headers.get("Content-Type"));
    }

    /**
     * Sets the {@code Content-Type}.
     *
     * @param value the value, e.g. {@code text/html; charset=utf-8}
     * @return this response
     */
    public StreamResponse setContentType(String value) {
        checkNotPrepared();
        headers.set("Content-Type", value);
        return this;
    }

    /**
     * Sets the {@code Content-Type}.
     *
     * @param type the media type
     * @return this response
     */
    public StreamResponse setContentType(MediaType type) {
        return setContentType(type.toString());
    }

    /** {@return the declared body length, or -1} */
    public long contentLength() {
        return contentLength;
    }

    /**
     * Declares the body's length (no chunked framing then); writing more or fewer bytes is an
     * error.
     *
     * @param length the length, or -1 for unknown
     * @return this response
     */
    public StreamResponse setContentLength(long length) {
        checkNotPrepared();
        this.contentLength = length;
        return this;
    }

    /**
     * Sets {@code Last-Modified}.
     *
     * @param instant the time
     * @return this response
     */
    public StreamResponse setLastModified(Instant instant) {
        headers.set("Last-Modified", HttpDate.format(instant));
        return this;
    }

    /**
     * Sets {@code ETag}.
     *
     * @param value the entity tag, without quotes
     * @param weak whether it is a weak validator ({@code W/})
     * @return this response
     */
    public StreamResponse setEtag(String value, boolean weak) {
        if (value.indexOf('"') >= 0) {
            throw new IllegalArgumentException("an entity tag may not hold '\"': " + value);
        }
        headers.set("ETag", (weak ? "W/\"" : "\"") + value + "\"");
        return this;
    }

    /**
     * Uses chunked framing even when the length is known (aiohttp's
     * {@code enable_chunked_encoding}). Only for HTTP/1.1 clients.
     *
     * @return this response
     */
    public StreamResponse enableChunkedEncoding() {
        checkNotPrepared();
        chunked = true;
        return this;
    }

    /**
     * Compresses the body with the best coding the client accepts ({@code Accept-Encoding}: gzip
     * preferred, then deflate); sends it as it is when the client accepts neither.
     *
     * @apiNote brotli is not among the codings chosen here, so that adding brotli4j to a program
     * never changes what its responses are: ask for it with {@code
     * enableCompression(ContentCoding.BROTLI)}.
     * @return this response
     */
    public StreamResponse enableCompression() {
        checkNotPrepared();
        compressionAuto = true;
        compression = null;
        return this;
    }

    /**
     * Compresses the body with a coding, if the client accepts it; else sends it as it is.
     *
     * @param coding the coding
     * @return this response
     * @throws IllegalStateException if the coding is {@link ContentCoding#BROTLI} and brotli4j is
     *     missing (see {@link ContentCoding#isAvailable()})
     */
    public StreamResponse enableCompression(ContentCoding coding) {
        checkNotPrepared();
        if (!coding.isAvailable()) {
            throw new IllegalStateException(Codecs.missingBrotli() + ", or enable another coding");
        }
        compressionAuto = false;
        compression = coding;
        return this;
    }

    /**
     * Closes the connection after this response.
     *
     * @return this response
     */
    public StreamResponse forceClose() {
        forceClose = true;
        if (exchange != null && !exchange.headWritten()) {
            exchange.forceClose();
        }
        return this;
    }

    /** {@return whether the connection stays open after this response} */
    public boolean keepAlive() {
        return exchange != null ? exchange.keepAlive() : !forceClose;
    }

    /** {@return whether the head was sent} */
    public boolean isPrepared() {
        return exchange != null;
    }

    /** {@return whether the body was ended} */
    public boolean isEofSent() {
        return exchange != null && exchange.complete();
    }

    /**
     * Sends the head: status line, headers, cookies and the framing the length calls for.
     * Idempotent. Suspends only while the client is slow to read; checks for cancellation.
     *
     * @param request the request this answers
     * @throws IOException if the client disconnected
     * @throws IllegalArgumentException if the request is not one this server received
     */
    public void prepare(Request request) throws IOException {
        if (exchange != null) {
            return;
        }
        if (!(request instanceof RequestImpl r)) {
            throw new IllegalArgumentException("not a request of this server: " + request);
        }
        Exchange x = r.exchange();
        beforeHead(r);
        String declared = headers.get("Content-Length");
        if (contentLength < 0 && declared != null) {
            try {
                contentLength = Long.parseLong(declared.strip()); // set as a header rather than by setContentLength
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the response's Content-Length header is not a number: " + declared);
            }
        }
        List<String> setCookies = List.of();
        if (cookies != null) {
            setCookies = new ArrayList<>(cookies.size());
            for (Cookie c : cookies.values()) {
                setCookies.add(c.toSetCookie());
            }
        }
        String coding = negotiateCompression(r);
        x.writeHead(status, headers, setCookies, contentLength, chunked, forceClose, coding);
        headers.freeze();
        exchange = x;
    }

    /**
     * Called before the head is sent, with the request: subclasses fix the length or the status
     * there. The default does nothing.
     *
     * @param request the request
     * @throws IOException if preparing the body fails
     */
    void beforeHead(RequestImpl request) throws IOException {
    }

    private String negotiateCompression(RequestImpl r) {
        if (!compressionAuto && compression == null || compression == ContentCoding.IDENTITY) {
            return null;
        }
        if (headers.contains("Content-Encoding")) {
            return null; // already encoded by the application
        }
        String accept = r.headers().get("Accept-Encoding");
        if (accept == null) {
            return null;
        }
        double gzip = quality(accept, "gzip");
        double deflate = quality(accept, "deflate");
        if (compression != null) {
            return quality(accept, compression.token()) > 0 ? compression.token() : null;
        }
        if (gzip > 0 && gzip >= deflate) {
            return "gzip";
        }
        return deflate > 0 ? "deflate" : null;
    }

    /** The q-value of a coding in an Accept-Encoding value (RFC 9110 §12.5.3); 0 if absent. */
    static double quality(String accept, String coding) {
        double star = 0;
        boolean sawStar = false;
        for (String item : accept.split(",")) {
            String[] parts = item.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("q=") || p.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (name.equals(coding)) {
                return q;
            }
            if (name.equals("*")) {
                star = q;
                sawStar = true;
            }
        }
        return sawStar ? star : 0;
    }

    private Exchange checkPrepared() {
        if (exchange == null) {
            throw new IllegalStateException("prepare(request) the response before writing its body");
        }
        return exchange;
    }

    private void checkNotPrepared() {
        if (exchange != null) {
            throw new IllegalStateException("the response was prepared: its head is sent");
        }
    }

    /**
     * Writes body bytes. Suspends while the client's socket and the write buffer are full (the
     * transport's high water mark); checks for cancellation.
     *
     * @param data the bytes
     * @throws IOException if the client disconnected
     * @throws IllegalStateException if not prepared, or ended already
     */
    public void write(byte[] data) throws IOException {
        checkPrepared().write(ByteBuffer.wrap(data));
    }

    /**
     * Writes body bytes from a buffer (consumed). Suspends as {@link #write(byte[])}.
     *
     * @param data the bytes, from position to limit
     * @throws IOException if the client disconnected
     */
    public void write(ByteBuffer data) throws IOException {
        checkPrepared().write(data);
    }

    /**
     * Writes text as UTF-8. Suspends as {@link #write(byte[])}.
     *
     * @param text the text
     * @throws IOException if the client disconnected
     */
    public void write(String text) throws IOException {
        write(text.getBytes(UTF_8));
    }

    /**
     * Waits until the client has read what was written, down to the transport's low water mark.
     * Suspends; checks for cancellation.
     *
     * @throws IOException if the client disconnected
     */
    public void drain() throws IOException {
        checkPrepared().drain();
    }

    /**
     * Ends the body (the last chunk, when chunked). Idempotent. Suspends as {@link #write(byte[])}.
     *
     * @throws IOException if the client disconnected
     */
    public void writeEof() throws IOException {
        checkPrepared().writeEof(null);
    }

    /**
     * Writes the last bytes and ends the body.
     *
     * @param tail the last bytes
     * @throws IOException if the client disconnected
     */
    public void writeEof(byte[] tail) throws IOException {
        write(tail);
        writeEof();
    }

    /**
     * Ends the body with trailer fields (chunked bodies only; dropped otherwise).
     *
     * @param trailers the trailers
     * @throws IOException if the client disconnected
     */
    public void writeEof(Headers trailers) throws IOException {
        checkPrepared().writeEof(trailers);
    }

    /** The server's end of a handler: sends what the handler left unsent. */
    void complete(RequestImpl request) throws IOException {
        if (exchange == null) {
            prepare(request);
        }
        writeEof();
    }

    /** {@return the exchange once prepared, for subclasses in this package} */
    Exchange exchange() {
        return exchange;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + status + (exchange != null ? " prepared" : "") + ">";
    }
}
