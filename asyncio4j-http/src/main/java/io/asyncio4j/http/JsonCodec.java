package io.asyncio4j.http;

/**
 * Encodes values to JSON and decodes JSON to values: what {@code Response.json} and
 * {@code Request.json} use. {@link #defaultCodec()} is jackson-jr's (records, beans, maps, lists,
 * strings, numbers) when {@code com.fasterxml.jackson.jr:jackson-jr-objects} is on the class or
 * module path; an application can set another (a full Jackson {@code ObjectMapper}, Gson) by
 * implementing this interface.
 *
 * {@snippet :
 * app.setJsonCodec(new JsonCodec() {
 *     public byte[] encode(Object value) { return mapper.writeValueAsBytes(value); }
 *     public <T> T decode(byte[] json, Class<T> type) { return mapper.readValue(json, type); }
 * });
 * }
 */
public interface JsonCodec {

    /**
     * Encodes a value as UTF-8 JSON.
     *
     * @param value the value
     * @return the JSON bytes
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    byte[] encode(Object value);

    /**
     * Decodes UTF-8 JSON into a type.
     *
     * @param <T> the type
     * @param json the bytes
     * @param type the type; {@code Object.class} or {@code Map.class} for untyped trees
     * @return the value
     * @throws IllegalArgumentException if the bytes are not JSON of that type
     */
    <T> T decode(byte[] json, Class<T> type);

    /**
     * Returns the default codec: jackson-jr's, found when it is first used. Getting it never
     * fails; its first {@code encode} or {@code decode} throws an {@link IllegalStateException}
     * if jackson-jr is not on the path (add {@code com.fasterxml.jackson.jr:jackson-jr-objects},
     * or set a codec of your own).
     *
     * @return the codec
     */
    static JsonCodec defaultCodec() {
        return io.asyncio4j.http.internal.json.DefaultJson.codec();
    }
}
