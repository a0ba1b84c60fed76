package io.asyncio4j.file;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AsyncTextFile: aiofiles' text mode, with exact byte positions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncTextFileTest {
    @TempDir
    Path dir;

    /** Text whose multi-byte characters straddle every 64 KiB read-ahead boundary somewhere. */
    static String mixedText(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("ligne ").append(i).append(" é€ 😀 ").append("x".repeat(i % 7)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void linesOfMultiByteTextAcrossReadAheadBoundaries() throws IOException {
        String text = mixedText(20_000);
        Path p = Files.writeString(dir.resolve("u8"), text, UTF_8);
        AsyncTesting.run(() -> {
            List<String> lines = new ArrayList<>();
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8)) {
                for (String line : f) {
                    lines.add(line);
                }
                assertEquals(Files.size(p), f.position());
            }
            assertEquals(text, String.join("", lines));
            assertEquals(20_000, lines.size());
        });
    }

    @Test
    void readOfNCharactersAndThePositionInBytes() throws IOException {
        Path p = Files.writeString(dir.resolve("n"), "aé€😀z", UTF_8);
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8)) {
                assertEquals("a", f.read(1));
                assertEquals(1, f.position());
                assertEquals("é€", f.read(2));
                assertEquals(1 + 2 + 3, f.position(), "bytes of the characters returned");
                assertEquals("😀", f.read(1), "a surrogate pair when one character is asked for");
                assertEquals(10, f.position());
                assertEquals("z", f.read(100));
                assertEquals("", f.read(1));
            }
        });
    }

    @Test
    void readAllAndSeekBackToAPosition() throws IOException {
        String text = mixedText(5000);
        Path p = Files.writeString(dir.resolve("all"), text, UTF_8);
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8)) {
                String first = f.readLine();
                long mark = f.position();
                String rest = f.readAll();
                assertEquals(text, first + rest);
                f.seek(mark);
                assertEquals(rest, f.read(-1));
            }
        });
    }

    @Test
    void utf16LinesAreFoundCharacterByCharacter() throws IOException {
        String text = "first é\nsecond 😀\nlast";
        for (Charset cs : List.of(UTF_16, UTF_16LE)) {
            Path p = Files.writeString(dir.resolve("u16-" + cs.name()), text, cs);
            AsyncTesting.run(() -> {
                try (AsyncTextFile f = AsyncFile.openText(p, cs)) {
                    assertEquals("first é\n", f.readLine());
                    assertEquals("second 😀\n", f.readLine());
                    assertEquals("last", f.readLine());
                    assertEquals("", f.readLine());
                    assertEquals(Files.size(p), f.position());
                }
            });
        }
    }

    @Test
    void malformedInputFailsTheReadAndLeavesTheBadBytesUnread() throws IOException {
        Path p = dir.resolve("bad");
        Files.write(p, new byte[] {'o', 'k', '\n', 'a', (byte) 0xC3, '\n', 'z'});
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8)) {
                assertEquals("ok\n", f.readLine());
                assertThrows(MalformedInputException.class, f::readLine);
                assertEquals(3, f.position(), "nothing of the bad line consumed");
                assertEquals("a", f.read(5), "the good characters before the bad byte come first");
                assertThrows(MalformedInputException.class, () -> f.read(5));
                f.seek(6);
                assertEquals("z", f.readAll());
                f.seek(0);
                assertThrows(MalformedInputException.class, f::readAll);
                assertEquals(0, f.position(), "readAll consumes nothing when it fails");
            }
        });
    }

    @Test
    void writesEncodeAndSurrogatePairsMayBeSplitAcrossWrites() throws IOException {
        Path p = dir.resolve("w");
        String emoji = "😀";
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8, WRITE, CREATE, TRUNCATE_EXISTING)) {
                f.write("é ");
                f.write(emoji.substring(0, 1));
                f.write(emoji.substring(1));
                f.write(new StringBuilder(" fin\n"));
            }
        });
        assertEquals("é 😀 fin\n", Files.readString(p, UTF_8));
    }

    @Test
    void aTextEndingInHalfAPairFailsAtClose() {
        Path p = dir.resolve("half");
        AsyncTesting.run(() -> {
            AsyncTextFile f = AsyncFile.openText(p, UTF_8, WRITE, CREATE);
            f.write("ok" + "😀".charAt(0));
            assertThrows(MalformedInputException.class, f::close);
            assertTrue(f.isClosed(), "closed nonetheless");
        });
        assertArrayEquals("ok".getBytes(US_ASCII), readAll(p));
    }

    @Test
    void anUnmappableCharacterFailsTheWriteAfterTheCharactersBefore() {
        Path p = dir.resolve("ascii");
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, US_ASCII, WRITE, CREATE)) {
                assertThrows(UnmappableCharacterException.class, () -> f.write("abc€def"));
            }
        });
        assertArrayEquals("abc".getBytes(US_ASCII), readAll(p));
    }

    @Test
    void aStatefulCharsetEndsItsShiftWhenClosed() throws IOException {
        Charset jis = Charset.forName("ISO-2022-JP");
        Path p = dir.resolve("jis");
        String text = "日本語";
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, jis, WRITE, CREATE)) {
                f.write(text);
            }
        });
        assertArrayEquals(text.getBytes(jis), readAll(p), "ends with the shift back to ASCII");
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, jis, READ)) {
                assertEquals(text, f.readAll());
            }
        });
    }

    @Test
    void readingAfterWritingInTextMode() throws IOException {
        Path p = Files.writeString(dir.resolve("rw"), "one\ntwo\n", UTF_8);
        AsyncTesting.run(() -> {
            try (AsyncTextFile f = AsyncFile.openText(p, UTF_8, READ, WRITE)) {
                assertEquals("one\n", f.readLine());
                f.write("TWO\n");
                f.write("three\n");
                f.seek(0);
                assertEquals("one\nTWO\nthree\n", f.readAll());
                assertEquals(14, f.size());
            }
        });
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
