package io.asyncio4j.http.internal.json;

import io.asyncio4j.http.JsonCodec;

/**
 * The default JSON codec: jackson-jr, found on first use. Handing out the codec never fails, so
 * options and sessions that merely carry it (a {@code ClientSession} that never sends JSON) work
 * without jackson-jr; the first encode or decode says what is missing.
 */
public final class DefaultJson {
    private DefaultJson() {
    }

    private static volatile JsonCodec jackson;

    private static final JsonCodec LAZY = new JsonCodec() {
        @Override
        public byte[] encode(Object value) {
            return resolve().encode(value);
        }

        @Override
        public <T> T decode(byte[] json, Class<T> type) {
            return resolve().decode(json, type);
        }

        @Override
        public String toString() {
            return "the default JSON codec (jackson-jr)";
        }
    };

    /** {@return the default codec; it finds jackson-jr when it is first used} */
    public static JsonCodec codec() {
        return LAZY;
    }

    /**
     * {@return jackson-jr's codec}
     * @throws IllegalStateException if jackson-jr is missing
     */
    private static JsonCodec resolve() {
        JsonCodec c = jackson;
        if (c == null) {
            try {
                Class.forName("com.fasterxml.jackson.jr.ob.JSON", false, DefaultJson.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("JSON needs a codec: add com.fasterxml.jackson.jr:jackson-jr-objects "
                        + "to the class path (the default codec uses it), or set one with Application.setJsonCodec "
                        + "(ClientOptions.withJson for a client session)", e);
            }
            c = new JacksonJrCodec();
            jackson = c;
        }
        return c;
    }
}
