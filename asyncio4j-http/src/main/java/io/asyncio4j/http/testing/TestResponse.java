package io.asyncio4j.http.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.MediaType;

/**
 * A response read whole by a {@link TestClient}.
 *
 * @param status the status code
 * @param reason the reason phrase
 * @param headers the header fields
 * @param body the body (decoded from chunked framing, not decompressed)
 * @param trailers the trailer fields of a chunked body
 */
public record TestResponse(int status, String reason, Headers headers, byte[] body, Headers trailers) {

    /** {@return the body as text, in the content type's charset (UTF-8 when it names none)} */
    public String text() {
        return new String(body, MediaType.tryParse(headers.get("Content-Type")).flatMap(MediaType::charset)
                .orElse(UTF_8));
    }

    /**
     * {@return the body decoded as JSON}
     * @param <T> the type
     * @param type the type
     */
    public <T> T json(Class<T> type) {
        return JsonCodec.defaultCodec().decode(body, type);
    }

    /**
     * {@return the first value of a header field, or {@code null}}
     * @param name the name
     */
    public String header(String name) {
        return headers.get(name);
    }
}
