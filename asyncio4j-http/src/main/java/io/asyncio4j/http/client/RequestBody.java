package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Params;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The body of a request: aiohttp's {@code data=}/{@code json=} arguments as values. Bytes, text,
 * JSON and forms have a length and are sent with {@code Content-Length}; a stream of unknown
 * length is sent chunked. Only the replayable kinds ({@link #replayable()}) may be sent again, for
 * a 307/308 redirect or the retry of a stale keep-alive connection.
 *
 * {@snippet :
 * session.post(url, RequestBody.json(Map.of("name", "Ada")));
 * session.post(url, RequestBody.form("user", "ada", "password", "s3cret"));
 * session.put(url, RequestBody.file(Path.of("report.pdf"), "application/pdf"));
 * }
 */
public sealed interface RequestBody permits RequestBody.Bytes, RequestBody.Json, RequestBody.Form,
        RequestBody.Stream, RequestBody.FromInputStream, RequestBody.File, Multipart {

    /** {@return the {@code Content-Type} to send, or {@code null} for none} */
    String contentType();

    /** {@return whether the body can be sent more than once} */
    default boolean replayable() {
        return true;
    }

    /**
     * Bytes as they are.
     *
     * @param data the bytes
     * @param contentType the content type, or {@code null}
     */
    record Bytes(byte[] data, String contentType) implements RequestBody {
        /** Checks the bytes. */
        public Bytes {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A value encoded as JSON by the session's codec, sent as {@code application/json}.
     *
     * @param value the value
     */
    record Json(Object value) implements RequestBody {
        @Override
        public String contentType() {
            return "application/json";
        }
    }

    /**
     * Form fields, sent as {@code application/x-www-form-urlencoded} (UTF-8).
     *
     * @param fields the fields
     */
    record Form(Params fields) implements RequestBody {
        /** Checks the fields. */
        public Form {
            Objects.requireNonNull(fields, "fields");
        }

        @Override
        public String contentType() {
            return "application/x-www-form-urlencoded";
        }
    }

    /**
     * A body produced piece by piece: from a generator ({@link io.asyncio4j.Asyncio#generator}),
     * a list, any iterable whose iterator may suspend. Sent chunked unless the length is known.
     * Iterated once, so not replayable.
     *
     * @param chunks the pieces
     * @param contentType the content type, or {@code null}
     * @param length the total length if known, else -1
     */
    record Stream(Iterable<byte[]> chunks, String contentType, long length) implements RequestBody {
        /** Checks the source. */
        public Stream {
            Objects.requireNonNull(chunks, "chunks");
        }

        @Override
        public boolean replayable() {
            return false;
        }
    }

    /**
     * A body read from a (blocking) {@link InputStream} on the default executor, so that the loop
     * is never blocked, and closed at the end. Not replayable.
     *
     * @param in the stream
     * @param contentType the content type, or {@code null}
     * @param length the total length if known, else -1 (chunked)
     */
    record FromInputStream(InputStream in, String contentType, long length) implements RequestBody {
        /** Checks the stream. */
        public FromInputStream {
            Objects.requireNonNull(in, "in");
        }

        @Override
        public boolean replayable() {
            return false;
        }
    }

    /**
     * A file, streamed from disk on the default executor (replayable: it is opened anew each time).
     *
     * @param path the file
     * @param contentType the content type, or {@code null}
     */
    record File(Path path, String contentType) implements RequestBody {
        /** Checks the path. */
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * {@return bytes sent as {@code application/octet-stream}}
     * @param data the bytes
     */
    static RequestBody bytes(byte[] data) {
        return new Bytes(data, "application/octet-stream");
    }

    /**
     * {@return bytes with a content type}
     * @param data the bytes
     * @param contentType the content type
     */
    static RequestBody bytes(byte[] data, String contentType) {
        return new Bytes(data, contentType);
    }

    /**
     * {@return text sent as {@code text/plain; charset=utf-8}}
     * @param text the text
     */
    static RequestBody text(String text) {
        return new Bytes(text.getBytes(UTF_8), "text/plain; charset=utf-8");
    }

    /**
     * {@return text in UTF-8 with a content type (its charset parameter should say utf-8)}
     * @param text the text
     * @param contentType the content type
     */
    static RequestBody text(String text, String contentType) {
        return new Bytes(text.getBytes(UTF_8), contentType);
    }

    /**
     * {@return a value as JSON}
     * @param value the value (a record, map, list, string, number...)
     */
    static RequestBody json(Object value) {
        return new Json(value);
    }

    /**
     * {@return form fields}
     * @param fields the fields
     */
    static RequestBody form(Params fields) {
        return new Form(fields);
    }

    /**
     * {@return form fields from names and values}
     * @param namesAndValues name, value, name, value...
     */
    static RequestBody form(String... namesAndValues) {
        return new Form(Params.of(namesAndValues));
    }

    /**
     * {@return a streamed body of unknown length, sent chunked}
     * @param chunks the pieces
     * @param contentType the content type, or {@code null}
     */
    static RequestBody stream(Iterable<byte[]> chunks, String contentType) {
        return new Stream(chunks, contentType, -1);
    }

    /**
     * {@return a body read from an input stream, chunked}
     * @param in the stream (closed at the end)
     * @param contentType the content type, or {@code null}
     */
    static RequestBody inputStream(InputStream in, String contentType) {
        return new FromInputStream(in, contentType, -1);
    }

    /**
     * {@return a file}
     * @param path the file
     * @param contentType the content type, or {@code null} for one guessed from the file's name
     */
    static RequestBody file(Path path, String contentType) {
        return new File(path, contentType != null ? contentType
                : io.asyncio4j.http.MediaType.forFileName(path.getFileName().toString()).toString());
    }
}
