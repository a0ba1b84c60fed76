package io.asyncio4j.http.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.internal.h1.Ascii;
import io.asyncio4j.http.internal.server.RequestImpl;
import java.io.IOException;
import java.util.Objects;

/**
 * A response with its whole body at hand: aiohttp's {@code web.Response} (and
 * {@code web.json_response}). The server sends it with a {@code Content-Length} after the handler
 * returns it.
 *
 * {@snippet :
 * return Response.text("Hello, World!");
 * return Response.json(Map.of("id", 42)).setStatus(HttpStatus.CREATED);
 * return Response.of(HttpStatus.NO_CONTENT);
 * }
 */
public class Response extends StreamResponse {
    private static final byte[] EMPTY = {};
    private static final String TEXT = MediaType.TEXT_PLAIN.toString();
    private static final String HTML = MediaType.TEXT_HTML.toString();
    private static final String JSON = MediaType.APPLICATION_JSON.toString();

    private byte[] body = EMPTY;
    private Object jsonValue;
    private boolean hasJson;

    /** Makes an empty 200 OK response. */
    public Response() {
        super(HttpStatus.OK);
    }

    /**
     * Makes an empty response with a status.
     *
     * @param status the status
     */
    public Response(HttpStatus status) {
        super(status);
    }

    /**
     * {@return an empty response with a status}
     * @param status the status
     */
    public static Response of(HttpStatus status) {
        return new Response(status);
    }

    /**
     * {@return a {@code text/plain; charset=utf-8} response}
     * @param text the body
     */
    public static Response text(String text) {
        Response r = new Response();
        r.body = text.getBytes(UTF_8);
        Ascii.appendTrusted(r.headers(), "Content-Type", TEXT);
        return r;
    }

    /**
     * {@return a {@code text/html; charset=utf-8} response}
     * @param html the body
     */
    public static Response html(String html) {
        Response r = new Response();
        r.body = html.getBytes(UTF_8);
        Ascii.appendTrusted(r.headers(), "Content-Type", HTML);
        return r;
    }

    /**
     * Returns an {@code application/json} response (aiohttp's {@code json_response}); the value
     * is encoded with the application's {@link io.asyncio4j.http.JsonCodec} when it is sent.
     *
     * @param value the value: a record, bean, map, list, string, number, boolean or null
     * @return the response
     */
    public static Response json(Object value) {
        Response r = new Response();
        r.jsonValue = value;
        r.hasJson = true;
        Ascii.appendTrusted(r.headers(), "Content-Type", JSON);
        return r;
    }

    /**
     * {@return a response with bytes of a content type}
     * @param body the body
     * @param contentType its type
     */
    public static Response bytes(byte[] body, String contentType) {
        Response r = new Response();
        r.body = Objects.requireNonNull(body, "body");
        r.headers().add("Content-Type", contentType);
        return r;
    }

    @Override
    public Response setStatus(HttpStatus status) {
        super.setStatus(status);
        return this;
    }

    @Override
    public Response setStatus(int code) {
        super.setStatus(code);
        return this;
    }

    /** {@return the body (empty before a JSON value is encoded)} */
    public byte[] body() {
        return body;
    }

    /**
     * Sets the body.
     *
     * @param body the bytes
     * @return this response
     */
    public Response setBody(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
        hasJson = false;
        return this;
    }

    /**
     * Sets the body to text (UTF-8); sets {@code text/plain} if no content type is set.
     *
     * @param text the text
     * @return this response
     */
    public Response setText(String text) {
        setBody(text.getBytes(UTF_8));
        headers().setIfAbsent("Content-Type", TEXT);
        return this;
    }

    @Override
    void beforeHead(RequestImpl request) {
        if (hasJson) {
            io.asyncio4j.http.JsonCodec codec = request.app() != null ? request.app().jsonCodec()
                    : io.asyncio4j.http.JsonCodec.defaultCodec();
            body = codec.encode(jsonValue);
            hasJson = false;
        }
        if (!status().forbidsBody()) {
            setLengthForBody(body.length);
        }
    }

    private void setLengthForBody(long n) {
        super.setContentLength(n);
    }

    @Override
    void complete(RequestImpl request) throws IOException {
        if (!isPrepared()) {
            prepare(request);
            if (body.length > 0 && !status().forbidsBody()) {
                write(body);
            }
        }
        writeEof();
    }
}
