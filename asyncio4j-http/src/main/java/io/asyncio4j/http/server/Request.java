package io.asyncio4j.http.server;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpVersion;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.Params;
import io.asyncio4j.transport.ExtraInfo;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;

/**
 * A received request: aiohttp's {@code web.Request}. Its head (method, target, headers) is parsed
 * already; its body is read on demand, with {@link #read()}, {@link #text()}, {@link #json},
 * {@link #post()}, {@link #multipart()} or the stream {@link #content()}, which suspend the
 * handler's task while the bytes arrive.
 *
 * <p>Paths: {@link #rawPath()} is as sent (percent-encoded, no query); {@link #path()} is decoded
 * (UTF-8). Routes match the decoded path with {@code %2F} kept as it is, so an encoded slash never
 * splits a segment.
 *
 * <p>A request belongs to its loop; call its methods from the handler's task.
 */
public interface Request {

    /** {@return the method} */
    HttpMethod method();

    /** {@return the HTTP version} */
    HttpVersion version();

    /** {@return the request target as sent: path and query, percent-encoded (aiohttp's {@code raw_path})} */
    String target();

    /** {@return the path as sent, without the query, percent-encoded} */
    String rawPath();

    /** {@return the path, percent-decoded} */
    String path();

    /** {@return the query string as sent, without the {@code ?} (empty when none)} */
    String queryString();

    /** {@return the query parameters, decoded} */
    Params query();

    /**
     * {@return the first value of a query parameter}
     * @param name the parameter's name
     */
    default Optional<String> query(String name) {
        return query().get(name);
    }

    /** {@return the header fields (read-only)} */
    Headers headers();

    /**
     * {@return the first value of a header field, or {@code null}}
     * @param name the field's name, in any case
     */
    default String header(String name) {
        return headers().get(name);
    }

    /** {@return the cookies the client sent, by name} */
    Map<String, String> cookies();

    /** {@return the host the client asked for: the {@code Host} field, else the local address} */
    String host();

    /** {@return {@code https} over TLS, else {@code http}} */
    String scheme();

    /** {@return whether the connection is TLS} */
    default boolean secure() {
        return scheme().equals("https");
    }

    /** {@return the client's address (IP, or the socket path's name over a Unix socket)} */
    String remote();

    /**
     * Returns information about the connection ({@link ExtraInfo#PEERNAME},
     * {@link ExtraInfo#SOCKNAME}, {@link ExtraInfo#SSL_OBJECT}, {@link ExtraInfo#ALPN_PROTOCOL}...):
     * aiohttp's {@code request.transport.get_extra_info(name)}.
     *
     * @param <T> the information's type
     * @param key the information's key
     * @return the information, or {@code null}
     */
    <T> T transportInfo(ExtraInfo<T> key);

    /** {@return the parameters the route's pattern matched, decoded (aiohttp's {@code match_info})} */
    Map<String, String> matchInfo();

    /**
     * Returns one matched parameter.
     *
     * @param name the parameter's name in the route's pattern
     * @return its value
     * @throws IllegalArgumentException if the route has no such parameter
     */
    default String matchInfo(String name) {
        String v = matchInfo().get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route " + route().map(Route::pattern).orElse("(none)")
                    + " has no parameter '" + name + "'");
        }
        return v;
    }

    /** {@return the route that matched, if any (none for a 404 or 405)} */
    Optional<Route> route();

    /** {@return the application whose route matched (a sub-application's for its routes)} */
    Application app();

    /**
     * Looks a value up in the matched application, then in the applications that contain it
     * (aiohttp's {@code request.config_dict}).
     *
     * @param <T> the value's type
     * @param key the key
     * @return the value
     * @throws java.util.NoSuchElementException if no application has it
     */
    <T> T config(StateKey<T> key);

    /**
     * {@return a value of this request's state (aiohttp's {@code request[key]})}
     * @param <T> the value's type
     * @param key the key
     */
    <T> Optional<T> get(StateKey<T> key);

    /**
     * Stores a value in this request's state, for middlewares and handlers after this one.
     *
     * @param <T> the value's type
     * @param key the key
     * @param value the value
     */
    <T> void set(StateKey<T> key, T value);

    /** {@return the declared {@code Content-Length}, or -1 (chunked, or none)} */
    long contentLength();

    /** {@return the parsed {@code Content-Type}, if present and valid} */
    Optional<MediaType> contentType();

    /** {@return the charset of the {@code Content-Type}, if any} */
    Optional<Charset> charset();

    /** {@return whether the request has a body (a length above 0, or chunked)} */
    boolean hasBody();

    /** {@return whether the connection may carry another request after this one} */
    boolean keepAlive();

    /** {@return the largest body this request may have: the application's client max size} */
    long clientMaxSize();

    /**
     * Raises (or lowers) the body limit for this request, before its body is read: a handler
     * that accepts large uploads. Never suspends.
     *
     * @param bytes the largest body
     * @throws IllegalStateException if reading the body has begun
     */
    void setClientMaxSize(long bytes);

    /** {@return the body as a stream} */
    BodyReader content();

    /**
     * Reads the whole body. Suspends; checks for cancellation.
     *
     * @return the bytes (empty when there is no body)
     * @throws HttpException 413 if the body is larger than {@link #clientMaxSize()}
     * @throws IOException if the connection failed or the body is malformed
     */
    byte[] read() throws IOException;

    /**
     * Reads the whole body as text, in the content type's charset (UTF-8 when it names none).
     * Suspends; checks for cancellation.
     *
     * @return the text
     * @throws IOException as {@link #read()}
     */
    String text() throws IOException;

    /**
     * Reads the body as JSON into a type, with the application's {@link io.asyncio4j.http.JsonCodec}.
     * Suspends; checks for cancellation.
     *
     * @param <T> the type
     * @param type the type ({@code Map.class} or {@code Object.class} for untyped trees)
     * @return the value
     * @throws HttpException 400 if the body is not valid JSON for the type
     * @throws IOException as {@link #read()}
     */
    <T> T json(Class<T> type) throws IOException;

    /**
     * Reads a submitted form: {@code application/x-www-form-urlencoded} or
     * {@code multipart/form-data} (files into memory, bounded by the client max size).
     * Suspends; checks for cancellation.
     *
     * @return the fields (empty for another content type)
     * @throws IOException as {@link #read()}, or if the multipart body is malformed
     */
    FormData post() throws IOException;

    /**
     * Streams a {@code multipart/*} body part by part.
     *
     * @return the reader
     * @throws HttpException 400 if the request is not multipart or has no boundary
     */
    MultipartReader multipart();
}
