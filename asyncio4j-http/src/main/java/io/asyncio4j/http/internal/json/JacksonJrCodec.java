package io.asyncio4j.http.internal.json;

import com.fasterxml.jackson.jr.ob.JSON;
import io.asyncio4j.http.JsonCodec;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The default JSON codec, over jackson-jr (records and beans, maps, lists, scalars). */
final class JacksonJrCodec implements JsonCodec {
    private final JSON json = JSON.builder().build();

    @Override
    public byte[] encode(Object value) {
        try {
            return json.asBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + (value == null ? "null" : value.getClass().getName())
                    + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        try {
            Object v;
            if (type == Object.class) {
                v = json.anyFrom(bytes);
            } else if (type == Map.class) {
                v = json.mapFrom(bytes);
            } else if (type == List.class) {
                v = json.listFrom(bytes);
            } else {
                v = json.beanFrom(type, bytes);
            }
            return type.cast(v);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
