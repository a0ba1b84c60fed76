package io.asyncio4j.file;

import io.asyncio4j.internal.file.Lines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.Iterator;

/*
 * Implementation overview
 *
 * A view of an AsyncFile that decodes its read-ahead in place: every decode consumes from the
 * file's buffer exactly the bytes of the characters it returns, so the byte position stays exact
 * (no decoded characters are kept back). readLine finds the line's end among the bytes when
 * '\n' is the single byte 0x0A of the charset (UTF-8, ASCII, the ISO-8859 and Windows code pages,
 * the CJK multi-byte ones), and decodes one character at a time otherwise (UTF-16, UTF-32).
 * Decoding and encoding run on the loop thread, at most 64 KiB at a time between system calls.
 * Malformed input is reported (CodingErrorAction.REPORT) without consuming the bad bytes.
 */

/**
 * An open file in text mode: aiofiles' {@code open(path, 'r', encoding=...)}. Made by
 * {@link AsyncFile#openText}; reads return strings, writes take them, with the file's charset.
 *
 * {@snippet :
 * try (AsyncTextFile f = AsyncFile.openText(path, UTF_8)) {
 *     for (String line : f) {            // each line with its '\n'
 *         handle(line);
 *     }
 * }
 * }
 *
 * <p>Lines end at {@code '\n'} and keep it, as Python's; unlike Python's default text mode,
 * {@code "\r\n"} is not translated (the line ends with {@code "\r\n"}). Positions are byte
 * offsets ({@link #position()} is exact after every read: it counts the bytes of the characters
 * returned so far). Input the charset cannot decode fails the read with a
 * {@link java.nio.charset.MalformedInputException} (the characters before it are returned first,
 * by {@link #read(int)}; the bad bytes stay unread); a character the charset cannot encode fails
 * the write with an {@link java.nio.charset.UnmappableCharacterException} after the characters
 * before it. Buffering, errors, cancellation and the one-task rule are those of {@link AsyncFile}.
 */
public final class AsyncTextFile implements AutoCloseable, Iterable<String> {
    private final AsyncFile file;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final CharsetEncoder encoder;
    private final boolean newlineIsByte;
    /** A high surrogate ending the last write, waiting for its pair. */
    private char pendingHigh;
    /** Whether text was written since the encoder last ended: close() ends it (a shift sequence). */
    private boolean encoding;

    AsyncTextFile(AsyncFile file, Charset charset) {
        this.file = file;
        this.charset = charset;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.encoder = charset.canEncode() ? charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT) : null;
        this.newlineIsByte = newlineIsOneByte(charset);
    }

    private static boolean newlineIsOneByte(Charset cs) {
        if (!cs.canEncode()) {
            return false;
        }
        try {
            ByteBuffer b = cs.newEncoder().encode(CharBuffer.wrap("\n"));
            return b.remaining() == 1 && b.get(0) == '\n';
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** {@return the file's charset} */
    public Charset charset() {
        return charset;
    }

    /** {@return the path this file was opened with} */
    public Path path() {
        return file.path();
    }

    /** {@return the binary file under this view, sharing its position and buffers} */
    public AsyncFile binary() {
        return file;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads up to {@code n} characters: exactly {@code n} unless the file ends first (one fewer
     * when the last would be half of a surrogate pair). A negative {@code n} reads to the end.
     * Suspends unless enough bytes are buffered; checks for cancellation.
     *
     * @param n the most characters
     * @return the characters; empty at the end of the file or for {@code n == 0}
     * @throws IOException if the read fails, or the bytes at the position cannot be decoded
     */
    public String read(int n) throws IOException {
        if (n < 0) {
            return readAll();
        }
        if (n == 0) {
            return "";
        }
        file.enter("read");
        try {
            file.flushWrites();
            CharBuffer out = CharBuffer.allocate(Math.max(n, 2));
            out.limit(n);
            decodeInto(out, false);
            return out.flip().toString();
        } finally {
            file.exit();
        }
    }

    /**
     * Reads everything from the position to the end of the file. Suspends; checks for
     * cancellation.
     *
     * @return the characters
     * @throws IOException if the read fails or the bytes cannot be decoded (nothing is consumed
     *     then: the position stays where it was)
     */
    public String readAll() throws IOException {
        file.enter("readAll");
        try {
            file.flushWrites();
            long start = file.position();
            StringBuilder sb = new StringBuilder();
            CharBuffer out = CharBuffer.allocate(AsyncFile.CHUNK);
            try {
                while (true) {
                    out.clear();
                    boolean more = decodeInto(out, true);
                    sb.append(out.flip());
                    if (!more) {
                        return sb.toString();
                    }
                }
            } catch (CharacterCodingException e) {
                file.resetPosition(start);
                decoder.reset();
                throw e;
            }
        } finally {
            file.exit();
        }
    }

    /**
     * Decodes from the read-ahead into {@code out}, reading more as needed, until it is full or
     * the file ends. With {@code stopWhenFull}, returns whether the file may have more.
     */
    private boolean decodeInto(CharBuffer out, boolean stopWhenFull) throws IOException {
        while (true) {
            byte[] buf = file.readBuffer();
            int from = file.readStart();
            ByteBuffer in = ByteBuffer.wrap(buf, from, file.readEnd() - from);
            CoderResult r = decoder.decode(in, out, false);
            file.consume(in.position() - from);
            if (r.isError()) {
                if (out.position() > 0 && !stopWhenFull) {
                    return true; // return the good characters; the next read reports the bad bytes
                }
                r.throwException();
            }
            if (r.isOverflow()) {
                if (out.position() == 0) {
                    out.limit(Math.min(2, out.capacity())); // room for a surrogate pair
                    continue;
                }
                return true;
            }
            // underflow: every byte decoded, or an incomplete sequence waits for the next ones
            if (!out.hasRemaining()) {
                return true;
            }
            if (!file.fill()) {
                finishDecoding(out);
                return false;
            }
        }
    }

    /** The end of the file: an incomplete sequence left over is malformed. */
    private void finishDecoding(CharBuffer out) throws IOException {
        byte[] buf = file.readBuffer();
        int from = file.readStart();
        ByteBuffer in = ByteBuffer.wrap(buf, from, file.readEnd() - from);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            r.throwException();
        }
        file.consume(in.position() - from);
        decoder.flush(out);
        decoder.reset();
    }

    /**
     * Reads one line, up to and including {@code '\n'}; at the end of the file returns the partial
     * last line, then empty strings. Suspends unless the line is buffered; checks for
     * cancellation.
     *
     * @return the line
     * @throws IOException if the read fails or the line cannot be decoded (nothing of it is
     *     consumed then)
     */
    public String readLine() throws IOException {
        file.enter("readLine");
        try {
            file.flushWrites();
            return newlineIsByte ? readLineByBytes() : readLineByChars();
        } finally {
            file.exit();
        }
    }

    private String readLineByBytes() throws IOException {
        int scanned = 0;
        int end;
        boolean atEof = false;
        while (true) {
            byte[] buf = file.readBuffer();
            int from = file.readStart() + scanned;
            int to = file.readEnd();
            end = -1;
            for (int i = from; i < to; i++) {
                if (buf[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
            if (end >= 0) {
                break;
            }
            scanned = to - file.readStart();
            if (!file.fill()) {
                atEof = true;
                end = file.readEnd();
                break;
            }
        }
        int from = file.readStart();
        ByteBuffer in = ByteBuffer.wrap(file.readBuffer(), from, end - from);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil((end - from) * (double) decoder.maxCharsPerByte()) + 2);
        CoderResult r = decoder.decode(in, out, atEof);
        if (r.isError()) {
            decoder.reset();
            r.throwException();
        }
        if (atEof) {
            decoder.flush(out);
            decoder.reset();
        } else if (in.hasRemaining()) {
            // cannot happen: '\n' ends every sequence of such a charset
            throw new java.nio.charset.MalformedInputException(in.remaining());
        }
        file.consume(in.position() - from);
        return out.flip().toString();
    }

    private String readLineByChars() throws IOException {
        StringBuilder sb = new StringBuilder();
        CharBuffer one = CharBuffer.allocate(2);
        while (true) {
            one.clear().limit(1);
            boolean more = decodeInto(one, true);
            one.flip();
            sb.append(one);
            if (!more || (one.hasRemaining() && one.get(one.limit() - 1) == '\n')) {
                return sb.toString();
            }
        }
    }

    /**
     * Iterates over the remaining lines, as {@code async for line in f} does; each step may
     * suspend and throws what {@link #readLine()} throws (undeclared).
     *
     * @return an iterator of lines
     */
    @Override
    public Iterator<String> iterator() {
        return new Lines<>(this::readLine, String::isEmpty);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes characters, encoded with the file's charset, at the position (buffered as
     * {@link AsyncFile#write(byte[])} is). Suspends when it writes; checks for cancellation.
     *
     * @param text the characters
     * @throws IOException if the write fails, or a character cannot be encoded
     */
    public void write(CharSequence text) throws IOException {
        if (encoder == null) {
            throw new UnsupportedOperationException(charset + " cannot encode");
        }
        file.enter("write");
        try {
            decoder.reset();
            encoding = true;
            CharBuffer in;
            if (pendingHigh != 0) {
                in = CharBuffer.allocate(text.length() + 1).put(pendingHigh).append(text).flip();
                pendingHigh = 0;
            } else {
                in = CharBuffer.wrap(text);
            }
            ByteBuffer out = ByteBuffer.allocate(AsyncFile.CHUNK + 16);
            while (true) {
                out.clear();
                CoderResult r = encoder.encode(in, out, false);
                file.writeBytes(out.flip());
                if (r.isError()) {
                    r.throwException();
                }
                if (r.isUnderflow()) {
                    if (in.remaining() == 1 && Character.isHighSurrogate(in.get(in.position()))) {
                        pendingHigh = in.get(); // half a surrogate pair: its other half comes next
                    }
                    return;
                }
            }
        } finally {
            file.exit();
        }
    }

    /** Encodes the end of the text: a dangling half pair fails, a stateful charset ends its shift. */
    private void finishEncoding() throws IOException {
        if (encoder == null) {
            return;
        }
        CharBuffer in = pendingHigh != 0 ? CharBuffer.wrap(new char[] {pendingHigh}) : CharBuffer.allocate(0);
        pendingHigh = 0;
        encoding = false;
        ByteBuffer out = ByteBuffer.allocate(64);
        CoderResult r = encoder.encode(in, out, true);
        if (!r.isError()) {
            r = encoder.flush(out);
        }
        encoder.reset();
        file.writeBytes(out.flip());
        if (r.isError()) {
            r.throwException();
        }
    }

    /**
     * Writes the buffered bytes to the file; see {@link AsyncFile#flush()}. Suspends when bytes
     * are buffered; checks for cancellation.
     *
     * @throws IOException if the write fails
     */
    public void flush() throws IOException {
        file.flush();
    }

    // ------------------------------------------------------------------ position and size

    /** {@return the byte position of the next read or write} Never suspends. */
    public long position() {
        return file.position();
    }

    /**
     * Moves to a byte position (the start of a character, as a {@link #position()} returned).
     * Text written before ends there (a stateful charset's shift sequence is written). Suspends
     * when writes are buffered; checks for cancellation.
     *
     * @param newPosition the byte position
     * @return the new position
     * @throws IOException if writing the buffered bytes fails
     */
    public long seek(long newPosition) throws IOException {
        if (encoding) {
            file.enter("seek");
            try {
                finishEncoding();
            } finally {
                file.exit();
            }
        }
        long p = file.seek(newPosition);
        decoder.reset();
        return p;
    }

    /**
     * {@return the file's size in bytes} Suspends; checks for cancellation.
     *
     * @throws IOException if it cannot be read
     */
    public long size() throws IOException {
        return file.size();
    }

    /**
     * Truncates the file to a byte size; see {@link AsyncFile#truncate(long)}. Suspends; checks
     * for cancellation.
     *
     * @param size the new size in bytes
     * @throws IOException if it fails
     */
    public void truncate(long size) throws IOException {
        file.truncate(size);
    }

    /**
     * Forces the content to the storage device; see {@link AsyncFile#force(boolean)}. Suspends;
     * checks for cancellation.
     *
     * @param metadata whether to force the metadata too
     * @throws IOException if it fails
     */
    public void force(boolean metadata) throws IOException {
        file.force(metadata);
    }

    /** {@return whether the file is closed} Never suspends. */
    public boolean isClosed() {
        return file.isClosed();
    }

    /**
     * Ends the text (a stateful charset's shift sequence), writes buffered bytes and closes the
     * file; idempotent and shielded from cancellation, as {@link AsyncFile#close()}. Suspends.
     *
     * @throws IOException if writing fails, or the text ends in half of a surrogate pair (the
     *     file is closed nonetheless)
     */
    @Override
    public void close() throws IOException {
        if (file.isClosed()) {
            return;
        }
        IOException first = null;
        if (encoding) {
            file.enter("close");
            try {
                finishEncoding();
            } catch (IOException e) {
                first = e;
            } finally {
                file.exit();
            }
        }
        try {
            file.close();
        } catch (IOException e) {
            if (first == null) {
                throw e;
            }
            first.addSuppressed(e);
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "<AsyncTextFile " + file.path() + " " + charset + (file.isClosed() ? " closed" : " position=" + position()) + ">";
    }
}
