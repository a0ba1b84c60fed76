package io.asyncio4j.http.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The module's version, written into {@code version.properties} by the build. */
public final class Version {
    /** The version of {@code asyncio4j-http}, as its POM gives it. */
    public static final String OF_MODULE = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from asyncio4j-http");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
