package io.asyncio4j.http.internal.compress;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Which optional content codings this process can use, found on first use: {@code br} when
 * brotli4j and its native library for this platform load, {@code zstd} when zstd-jni's does.
 * A missing or broken library only takes its coding away (it is neither advertised nor offered);
 * it never fails a session or a server.
 */
public final class Codecs {
    private Codecs() {
    }

    /*
     * Each probe first asks for a class of the library without initializing it, so that a missing
     * jar costs one ClassNotFoundException; only then does it touch the classes of this package that
     * refer to the library (BrotliCoding, ZstdCoding), which load its native code. Holders make
     * each probe run once, on first use, and never again.
     */
    private static final class BrotliProbe {
        static final boolean AVAILABLE = present("com.aayushatharva.brotli4j.Brotli4jLoader")
                && loads(BrotliCoding::load);
    }

    private static final class ZstdProbe {
        static final boolean AVAILABLE = present("com.github.luben.zstd.ZstdDecompressCtx") && loads(ZstdCoding::load);
    }

    private static final class AcceptEncoding {
        static final String VALUE = "gzip, deflate" + (brotli() ? ", br" : "") + (zstd() ? ", zstd" : "");
    }

    /** {@return whether brotli ({@code br}) can be decoded and encoded: brotli4j and its native library loaded} */
    public static boolean brotli() {
        return BrotliProbe.AVAILABLE;
    }

    /** {@return whether zstd can be decoded: zstd-jni and its native library loaded} */
    public static boolean zstd() {
        return ZstdProbe.AVAILABLE;
    }

    /**
     * {@return the client's {@code Accept-Encoding}: {@code gzip, deflate}, then {@code br} and
     * {@code zstd} when their libraries are present (aiohttp's order)}
     */
    public static String acceptEncoding() {
        return AcceptEncoding.VALUE;
    }

    /**
     * {@return a streaming decoder of a coding from an optional library, or {@code null} if the
     * coding is not one of them or its library is missing}
     * @param token the coding's name, lower case
     * @param maxPiece the most decoded bytes one call to {@link StreamDecoder#decode} returns
     * @throws IOException if the library fails to make a decoder
     */
    public static StreamDecoder decoder(String token, int maxPiece) throws IOException {
        return switch (token) {
            case "br" -> brotli() ? BrotliCoding.decoder(maxPiece) : null;
            case "zstd" -> zstd() ? ZstdCoding.decoder(maxPiece) : null;
            default -> null;
        };
    }

    /**
     * Opens a brotli encoder writing to a stream: the server's {@code br} response compression.
     * Its {@code flush()} is a brotli flush (what was written can be decoded now); its {@code
     * close()} ends the brotli stream and frees the native encoder, and must be called.
     *
     * @param out where the compressed bytes go
     * @return the encoding stream
     * @throws IOException if the encoder cannot be made
     * @throws IllegalStateException if brotli4j is missing
     */
    public static OutputStream brotliEncoder(OutputStream out) throws IOException {
        if (!brotli()) {
            throw new IllegalStateException(missingBrotli());
        }
        return BrotliCoding.encoder(out);
    }

    /** {@return what to do when brotli is asked for but missing} */
    public static String missingBrotli() {
        return "brotli (br) needs com.aayushatharva.brotli4j:brotli4j and its native library for this platform "
                + "on the class or module path";
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Codecs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A library's native part failing to load is an error of its own kind, caught like the rest. */
    private interface Loader {
        boolean load() throws Exception;
    }

    private static boolean loads(Loader loader) {
        try {
            return loader.load();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
