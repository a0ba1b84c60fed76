package io.asyncio4j.http.internal.json;

import io.asyncio4j.http.JsonCodec;

/** Finds the default JSON codec: jackson-jr when it is present. */
public final class DefaultJson {
    private DefaultJson() {
    }

    private static volatile JsonCodec codec;

    /**
     * {@return the default codec}
     * @throws IllegalStateException if jackson-jr is missing
     */
    public static JsonCodec codec() {
        JsonCodec c = codec;
        if (c == null) {
            try {
                Class.forName("com.fasterxml.jackson.jr.ob.JSON", false, DefaultJson.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("JSON needs a codec: add com.fasterxml.jackson.jr:jackson-jr-objects "
                        + "to the class path (the default codec uses it), or set one with Application.setJsonCodec",
                        e);
            }
            c = new JacksonJrCodec();
            codec = c;
        }
        return c;
    }
}
