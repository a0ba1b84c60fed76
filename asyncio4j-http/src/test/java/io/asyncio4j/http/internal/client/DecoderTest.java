package io.asyncio4j.http.internal.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.asyncio4j.http.internal.compress.Codecs;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's streaming decoder: every coding fed in pieces, bounded output, and broken streams. */
class DecoderTest {

    /** Text with repeats and noise: compressible, but not trivially. */
    static byte[] text(int size) {
        Random r = new Random(42);
        StringBuilder b = new StringBuilder(size + 64);
        while (b.length() < size) {
            b.append("line ").append(r.nextInt(1000)).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return b.substring(0, size).getBytes(UTF_8);
    }

    static byte[] brotli(byte[] data) throws IOException {
        Brotli4jLoader.ensureAvailability(); // brotli4j's classes need its loader to have run
        return Encoder.compress(data, new Encoder.Parameters().setQuality(5));
    }

    /** With a content checksum, as the zstd tool writes by default (corruption is then always found). */
    static byte[] zstd(byte[] data) {
        try (ZstdCompressCtx c = new ZstdCompressCtx()) {
            return c.setLevel(3).setChecksum(true).compress(data);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Feeds the body in pieces of {@code step} bytes, taking every pending piece, and finishes. */
    static byte[] decodeInPieces(String coding, byte[] body, int step) throws IOException {
        Decoder d = Decoder.forEncoding(coding, Long.MAX_VALUE);
        assertNotNull(d, coding);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += step) {
            out.writeBytes(d.decode(Arrays.copyOfRange(body, i, Math.min(body.length, i + step))));
            while (d.hasPending()) {
                out.writeBytes(d.decode(new byte[0]));
            }
        }
        d.finish();
        return out.toByteArray();
    }

    @Test
    void bothOptionalLibrariesAreFoundAndAdvertised() {
        assertTrue(Codecs.brotli(), "brotli4j and its native library are on the test class path");
        assertTrue(Codecs.zstd(), "zstd-jni is on the test class path");
        assertEquals("gzip, deflate, br, zstd", Decoder.acceptEncoding());
        assertNull(Decoder.forEncoding("compress", Long.MAX_VALUE), "an unknown coding is left alone");
        assertNotNull(Decoder.forEncoding(" BR ", Long.MAX_VALUE), "tokens are case-insensitive");
    }

    @Test
    void brotliAndZstdBodiesDecodeWhateverTheSizeOfTheirPieces() throws Exception {
        byte[] text = text(300_000);
        for (int step : new int[] {1, 7, 1000, 16 * 1024, Integer.MAX_VALUE}) {
            byte[] body = step == 1 ? text(20_000) : text; // one byte at a time: a smaller body
            assertArrayEquals(body, decodeInPieces("br", brotli(body), step), "br by " + step);
            assertArrayEquals(body, decodeInPieces("zstd", zstd(body), step), "zstd by " + step);
        }
    }

    @Test
    void concatenatedZstdFramesAreOneBody() throws Exception {
        byte[] a = text(50_000);
        byte[] b = "and a second frame".getBytes(UTF_8);
        byte[] za = zstd(a);
        byte[] zb = zstd(b);
        byte[] both = Arrays.copyOf(za, za.length + zb.length);
        System.arraycopy(zb, 0, both, za.length, zb.length);
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertArrayEquals(expected, decodeInPieces("zstd", both, 4096));
        assertArrayEquals(expected, decodeInPieces("zstd", both, both.length));
    }

    @Test
    void aDecompressionBombComesOutInPiecesOfAtMost64KiB() throws Exception {
        byte[] zeros = new byte[48 * 1024 * 1024];
        for (String coding : List.of("br", "zstd", "gzip")) {
            byte[] body = switch (coding) {
                case "br" -> brotli(zeros);
                case "zstd" -> zstd(zeros);
                default -> gzip(zeros);
            };
            assertTrue(body.length < 64 * 1024, coding + ": the whole bomb is one piece of the body, "
                    + body.length + " bytes");
            Decoder d = Decoder.forEncoding(coding, Long.MAX_VALUE);
            long total = 0;
            int largest = 0;
            int pieces = 0;
            byte[] piece = d.decode(body);
            while (true) {
                largest = Math.max(largest, piece.length);
                total += piece.length;
                pieces++;
                for (byte x : piece) {
                    if (x != 0) {
                        throw new AssertionError(coding + ": a byte that is not zero");
                    }
                }
                if (!d.hasPending()) {
                    break;
                }
                piece = d.decode(new byte[0]);
            }
            d.finish();
            assertEquals(zeros.length, total, coding);
            assertTrue(largest <= Decoder.PIECE, coding + ": a piece of " + largest + " bytes");
            assertTrue(pieces >= zeros.length / Decoder.PIECE, coding + ": " + pieces + " pieces");
        }
    }

    @Test
    void theMostDecodedBytesAllowedHoldsForEveryCoding() throws Exception {
        byte[] text = text(200_000);
        for (String coding : List.of("br", "zstd", "gzip")) {
            byte[] body = coding.equals("br") ? brotli(text) : coding.equals("zstd") ? zstd(text) : gzip(text);
            Decoder d = Decoder.forEncoding(coding, 100_000);
            IOException e = assertThrows(IOException.class, () -> {
                d.decode(body);
                while (d.hasPending()) {
                    d.decode(new byte[0]);
                }
            }, coding);
            assertTrue(e.getMessage().contains("larger than 100000"), e.getMessage());
            d.close();
        }
    }

    @Test
    void corruptTruncatedAndTrailingStreamsAreErrorsNeverAShortBody() throws Exception {
        byte[] text = text(100_000);
        for (String coding : List.of("br", "zstd")) {
            byte[] body = coding.equals("br") ? brotli(text) : zstd(text);
            byte[] corrupt = body.clone();
            for (int i = body.length / 3; i < body.length / 3 + 16; i++) {
                corrupt[i] ^= (byte) 0xa5;
            }
            assertThrows(IOException.class, () -> decodeInPieces(coding, corrupt, 1000), coding + " corrupt");
            byte[] cut = Arrays.copyOf(body, body.length - 5);
            IOException e = assertThrows(IOException.class, () -> decodeInPieces(coding, cut, 1000), coding + " cut");
            assertTrue(e.getMessage().contains("ended before"), e.getMessage());
            assertThrows(IOException.class, () -> decodeInPieces(coding, new byte[0], 1), coding + " empty");
            assertThrows(IOException.class, () -> decodeInPieces(coding, "not compressed at all".getBytes(UTF_8), 5),
                    coding + " plain text");
        }
        byte[] br = brotli(text);
        byte[] trailing = Arrays.copyOf(br, br.length + 3);
        assertThrows(IOException.class, () -> decodeInPieces("br", trailing, 1000), "bytes after the brotli stream");
        byte[] z = zstd(text);
        byte[] zTrailing = Arrays.copyOf(z, z.length + 3); // three zero bytes: not a frame
        assertThrows(IOException.class, () -> decodeInPieces("zstd", zTrailing, 1000), "bytes after the zstd frame");
    }

    @Test
    void aZstdWindowAboveTheEightMiBOfRfc9659IsRefused() throws Exception {
        byte[] text = text(20 * 1024 * 1024);
        byte[] body;
        try (ZstdCompressCtx c = new ZstdCompressCtx()) {
            c.setLevel(3);
            c.setWindowLog(25); // 32 MiB
            c.setContentSize(false); // so the frame cannot shrink its window to its content
            body = c.compress(text);
        }
        IOException e = assertThrows(IOException.class, () -> decodeInPieces("zstd", body, 64 * 1024));
        assertTrue(e.getMessage().contains("memory"), e.getMessage()); // zstd: "Frame requires too much memory"
        assertArrayEquals(text, Zstd.decompress(body, text.length), "a valid frame, only its window is too large");
    }

    @Test
    void aDecoderClosedMidwayFreesItselfAndHasNothingPending() throws Exception {
        for (String coding : List.of("br", "zstd", "gzip")) {
            byte[] zeros = new byte[4 * 1024 * 1024];
            byte[] body = coding.equals("br") ? brotli(zeros) : coding.equals("zstd") ? zstd(zeros) : gzip(zeros);
            Decoder d = Decoder.forEncoding(coding, Long.MAX_VALUE);
            assertEquals(Decoder.PIECE, d.decode(body).length, coding);
            assertTrue(d.hasPending(), coding);
            d.close();
            assertFalse(d.hasPending(), coding + " after close");
            d.close(); // twice is fine
        }
    }

    /** Bodies made by the reference command-line tools (Debian's brotli and zstd), when they are here. */
    @Test
    void bodiesFromTheReferenceToolsDecode(@TempDir Path dir) throws Exception {
        byte[] text = text(500_000);
        Path plain = dir.resolve("body.txt");
        Files.write(plain, text);
        int tried = 0;
        for (String coding : List.of("br", "zstd")) {
            String tool = coding.equals("br") ? "brotli" : "zstd";
            if (!onPath(tool)) {
                continue;
            }
            Path out = dir.resolve("body." + coding);
            Process p = new ProcessBuilder(tool, "-f", "-o", out.toString(), plain.toString())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), tool);
            assertEquals(0, p.exitValue(), tool + ": " + new String(p.getInputStream().readAllBytes(), UTF_8));
            byte[] body = Files.readAllBytes(out);
            assertEquals(sha256(text), sha256(decodeInPieces(coding, body, 8 * 1024)), tool);
            tried++;
        }
        assumeTrue(tried > 0, "neither brotli nor zstd is installed (apt-get install brotli zstd)");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
