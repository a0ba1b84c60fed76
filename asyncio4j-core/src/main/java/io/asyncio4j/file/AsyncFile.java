package io.asyncio4j.file;

import io.asyncio4j.internal.file.FileCalls;
import io.asyncio4j.internal.file.FileOp;
import io.asyncio4j.internal.file.Lines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/*
 * Implementation overview
 *
 * A FileChannel, used with positional reads and writes only (pread/pwrite), so the channel holds
 * no position of its own and every call is independent. `position` is the logical position (where
 * the next read or write takes effect). Read-ahead: rbuf[rstart, rend) holds the file's bytes from
 * `position` on. Write-behind: wbuf[0, wlen) holds bytes to be written at `position - wlen`. At
 * most one of the two holds bytes: a write drops the read-ahead, a read flushes the write-behind.
 *
 * Every system call runs on the file threads (FileOp) while the task parks; the fields are
 * touched by the loop thread only, one operation at a time (`busy`). Cancellation (FileOp's rule):
 * the call in flight ends, its effect is accounted for (bytes read go back to the read-ahead,
 * bytes written move the position), then the task receives its cancellation. An append-mode file
 * writes at the end whatever the position says, so its position is the size after each write.
 */

/**
 * An open file whose operations suspend the calling task instead of blocking the event loop:
 * aiofiles' {@code async with aiofiles.open(path, 'rb')} (binary mode; {@link #openText} gives
 * text mode). Use it with try-with-resources.
 *
 * {@snippet :
 * try (AsyncFile f = AsyncFile.open(path)) {          // READ
 *     byte[] header = f.read(16);
 *     for (byte[] line : f) { ... }                   // the remaining lines, one at a time
 * }
 * try (AsyncFile f = AsyncFile.open(path, WRITE, CREATE, TRUNCATE_EXISTING)) {
 *     f.write(data);
 * }                                                   // close() flushes
 * }
 *
 * <p>Each system call runs on a small pool of platform threads shared by every loop of the JVM
 * ({@code asyncio4j.fileThreads}, by default 4 or the number of processors), while the task
 * waits: the loop goes on running other tasks. Reads are buffered (64 KiB read-ahead), so
 * {@link #readLine()} and small reads cost one call per 64 KiB; small writes are buffered up to
 * 64 KiB and written by {@link #flush()}, by a read, a seek or {@link #close()}. Large reads and
 * writes go straight to the file, in steps of at most 4 MiB. Reading a file never loads it whole
 * unless {@link #readAll()} is asked to.
 *
 * <p><b>Errors</b> are the JDK's precise {@link IOException}s ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException}, {@link java.nio.channels.NonReadableChannelException}
 * for a read of a file opened for writing only...), thrown by the call that met them.
 *
 * <p><b>Cancellation.</b> A system call on a file cannot be interrupted safely, so a task
 * cancelled while it waits for one receives its cancellation once that call ended (a step takes
 * microseconds on a local file, a few milliseconds for a 4 MiB step), and the file is then in a
 * defined state: a cancelled read consumes nothing (every byte it read stays buffered for the next
 * read, and the position has not moved); a cancelled write has written a prefix of its data made
 * of whole steps (all of it, for data up to 4 MiB) and the position has moved past what was
 * written; a cancelled flush, seek, truncate or force either happened or not, as
 * {@link #position()} and {@link #size()} then tell. A FIFO or a device, whose calls may block for
 * ever, is the exception: there a cancellation abandons the call in flight at once, and the file
 * can then only be closed.
 *
 * <p>One task at a time may use a file: an operation started while another task's operation on
 * the same file is in progress throws {@link IllegalStateException}. Every method must be called
 * from a task of a running loop.
 */
public final class AsyncFile implements AutoCloseable, Iterable<byte[]> {
    /** The read-ahead and write-behind size. */
    static final int CHUNK = 64 * 1024;
    /** The most bytes one system call reads or writes. */
    static final int STEP = 4 * 1024 * 1024;
    private static final byte[] EMPTY = {};

    private final Path path;
    private final FileChannel channel;
    private final boolean append;
    private final boolean regular;
    /** A temporary file's path, deleted after close; null otherwise. */
    private final Path deleteAfterClose;
    private long position;
    private byte[] rbuf = EMPTY;
    private int rstart;
    private int rend;
    private boolean eofSeen;
    private byte[] wbuf;
    private int wlen;
    private boolean busy;
    private boolean closed;
    private boolean broken;

    AsyncFile(Path path, FileCalls.Opened opened, boolean append, Path deleteAfterClose) {
        this.path = path;
        this.channel = opened.channel();
        this.regular = opened.regular();
        this.append = append;
        this.deleteAfterClose = deleteAfterClose;
        this.position = append ? opened.size() : 0;
    }

    /**
     * Opens a file for reading, in binary mode: aiofiles' {@code open(path, 'rb')}. Suspends;
     * checks for cancellation.
     *
     * @param path the file
     * @return the open file
     * @throws IOException if it cannot be opened ({@link java.nio.file.NoSuchFileException}...)
     */
    public static AsyncFile open(Path path) throws IOException {
        return open(path, StandardOpenOption.READ);
    }

    /**
     * Opens a file in binary mode with {@link FileChannel#open}'s options: {@code READ} (the
     * default when neither {@code WRITE} nor {@code APPEND} is given), {@code WRITE},
     * {@code APPEND}, {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code SYNC},
     * {@code DSYNC}, {@code DELETE_ON_CLOSE} (on Unix the JDK unlinks the file as it opens it),
     * {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}.
     * aiofiles' modes: {@code 'rb'} is {@code READ}; {@code 'wb'} is {@code WRITE, CREATE,
     * TRUNCATE_EXISTING}; {@code 'ab'} is {@code APPEND, CREATE}; {@code 'xb'} is {@code WRITE,
     * CREATE_NEW}; {@code 'r+b'} is {@code READ, WRITE}, {@code 'w+b'} adds {@code CREATE,
     * TRUNCATE_EXISTING}. Java refuses {@code READ} with {@code APPEND}: for {@code 'a+b'} open
     * with {@code READ, WRITE, CREATE} and {@link #seek seek} to the {@link #size() size}.
     * Suspends; checks for cancellation (a file opened meanwhile is closed again).
     *
     * @param path the file
     * @param options how to open it
     * @return the open file
     * @throws IOException if it cannot be opened
     * @throws IllegalArgumentException for an invalid combination (as {@code FileChannel.open})
     */
    public static AsyncFile open(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> opts = FileCalls.options(options);
        FileCalls.Opened opened = FileCalls.open(path, opts);
        return new AsyncFile(path, opened, opts.contains(StandardOpenOption.APPEND), null);
    }

    /**
     * Opens a file in text mode: aiofiles' {@code open(path, 'r', encoding=...)}. The options are
     * those of {@link #open(Path, OpenOption...)}. Suspends; checks for cancellation.
     *
     * @param path the file
     * @param charset how characters are encoded in the file
     * @param options how to open it
     * @return the open file
     * @throws IOException if it cannot be opened
     */
    public static AsyncTextFile openText(Path path, Charset charset, OpenOption... options) throws IOException {
        if (charset == null) {
            throw new NullPointerException("charset");
        }
        return new AsyncTextFile(open(path, options), charset);
    }

    /** {@return the path this file was opened with} */
    public Path path() {
        return path;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads up to {@code n} bytes: exactly {@code n} unless the file ends first, as Python's
     * {@code read(n)} does on a file. A negative {@code n} reads to the end. Suspends unless the
     * bytes are buffered; checks for cancellation.
     *
     * @param n the most bytes to return
     * @return the bytes; empty at the end of the file or for {@code n == 0}
     * @throws IOException if the read fails
     */
    public byte[] read(int n) throws IOException {
        if (n < 0) {
            return readAll();
        }
        enter("read");
        try {
            flushWrites();
            if (n <= rend - rstart) {
                return take(n);
            }
            if (n - (rend - rstart) <= CHUNK) {
                while (rend - rstart < n && fill()) {
                    // read-ahead until there are n bytes or the file ended
                }
                return take(Math.min(n, rend - rstart));
            }
            return readLarge(n);
        } finally {
            exit();
        }
    }

    /**
     * Reads everything from the position to the end of the file: Python's {@code read()}.
     * Suspends; checks for cancellation.
     *
     * @return the bytes (empty at the end of the file)
     * @throws IOException if the read fails
     */
    public byte[] readAll() throws IOException {
        enter("readAll");
        try {
            flushWrites();
            return readLarge(Integer.MAX_VALUE);
        } finally {
            exit();
        }
    }

    /**
     * Reads one line, up to and including {@code '\n'}; at the end of the file returns the partial
     * last line, then empty arrays. Suspends unless the line is buffered; checks for cancellation.
     *
     * @return the line
     * @throws IOException if the read fails
     */
    public byte[] readLine() throws IOException {
        enter("readLine");
        try {
            flushWrites();
            int scanned = 0; // bytes after rstart known to hold no newline (fill() may move them)
            while (true) {
                for (int i = rstart + scanned; i < rend; i++) {
                    if (rbuf[i] == '\n') {
                        return take(i + 1 - rstart);
                    }
                }
                scanned = rend - rstart;
                if (!fill()) {
                    return take(rend - rstart);
                }
            }
        } finally {
            exit();
        }
    }

    /**
     * Iterates over the remaining lines, as {@code async for line in f} does; each step may
     * suspend and throws what {@link #readLine()} throws (undeclared).
     *
     * @return an iterator of lines
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Lines<>(this::readLine, line -> line.length == 0);
    }

    /** Takes n buffered bytes. */
    private byte[] take(int n) {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out = Arrays.copyOfRange(rbuf, rstart, rstart + n);
        rstart += n;
        position += n;
        return out;
    }

    /**
     * Reads the next chunk into the read-ahead (one system call). A cancellation during the call
     * keeps what it read. {@return false at the end of the file}
     */
    boolean fill() throws IOException {
        if (rstart == rend) {
            rstart = 0;
            rend = 0;
        }
        if (rbuf.length - rend < CHUNK) {
            int size = rend - rstart;
            byte[] b = size + CHUNK <= rbuf.length ? rbuf : new byte[Math.max(rbuf.length * 2, size + CHUNK)];
            System.arraycopy(rbuf, rstart, b, 0, size);
            rbuf = b;
            rstart = 0;
            rend = size;
        }
        byte[] target = rbuf;
        int at = rend;
        long filePos = position + (rend - rstart);
        int n = call("read", op -> FileCalls.read(channel, ByteBuffer.wrap(target, at, CHUNK), filePos, regular),
                got -> rend += Math.max(0, got));
        if (n <= 0) {
            eofSeen = true;
            return false;
        }
        rend += n;
        return true;
    }

    /** Reads up to n bytes beyond the read-ahead, in steps, straight into arrays of their own. */
    private byte[] readLarge(int n) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        int total = rend - rstart;
        if (total > 0) {
            parts.add(Arrays.copyOfRange(rbuf, rstart, rend));
        }
        rstart = 0;
        rend = 0;
        try {
            while (total < n) {
                long at = position + total;
                int want = Math.min(STEP, n - total);
                byte[] part = call("read", op -> FileCalls.readUpTo(channel, at, want, regular), got -> parts.add(got));
                if (part.length == 0) {
                    break;
                }
                parts.add(part);
                total += part.length;
            }
        } catch (Throwable t) {
            // cancelled or failed: what was read goes back to the read-ahead, the position stays
            unread(parts);
            throw t;
        }
        byte[] out = join(parts, total);
        position += total;
        return out;
    }

    private void unread(List<byte[]> parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] b = new byte[Math.max(size, CHUNK)];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, b, at, p.length);
            at += p.length;
        }
        rbuf = b;
        rstart = 0;
        rend = size;
    }

    private static byte[] join(List<byte[]> parts, int total) {
        if (parts.size() == 1 && parts.get(0).length == total) {
            return parts.get(0);
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes bytes at the position (at the end, in append mode) and moves the position past them.
     * Up to 64 KiB are buffered and written later (by {@link #flush()}, a read, a seek or
     * {@link #close()}); more are written at once. Suspends when it writes; checks for
     * cancellation.
     *
     * @param data the bytes (not kept)
     * @throws IOException if the write fails
     */
    public void write(byte[] data) throws IOException {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Writes bytes; see {@link #write(byte[])}. Suspends when it writes; checks for cancellation.
     *
     * @param data the bytes, from position to limit (consumed)
     * @throws IOException if the write fails
     */
    public void write(ByteBuffer data) throws IOException {
        enter("write");
        try {
            writeBytes(data);
        } finally {
            exit();
        }
    }

    void writeBytes(ByteBuffer data) throws IOException {
        dropReadAhead();
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (wbuf == null) {
            wbuf = new byte[CHUNK];
        }
        if (n <= CHUNK - wlen) {
            data.get(wbuf, wlen, n);
            wlen += n;
            position += n;
            return;
        }
        flushWrites();
        if (n <= CHUNK) {
            data.get(wbuf, 0, n);
            wlen = n;
            position += n;
            return;
        }
        while (data.hasRemaining()) {
            int step = Math.min(STEP, data.remaining());
            ByteBuffer slice = data.slice(data.position(), step);
            long at = position;
            long end = call("write", op -> FileCalls.write(channel, slice, at, relative()), w -> {
                data.position(data.position() + step);
                position = w;
            });
            data.position(data.position() + step);
            position = end;
        }
    }

    /** Whether writes go to the channel's own position: at the end in append mode; FIFOs have no other. */
    private boolean relative() {
        return append || !regular;
    }

    /**
     * Writes the buffered bytes to the file (Python's {@code flush}: to the operating system, not
     * to the disk; see {@link #force}). Suspends when bytes are buffered; checks for cancellation.
     *
     * @throws IOException if the write fails: the buffered bytes are then dropped, and the
     *     position goes back to the end of what was written
     */
    public void flush() throws IOException {
        enter("flush");
        try {
            flushWrites();
        } finally {
            exit();
        }
    }

    void flushWrites() throws IOException {
        if (wlen == 0) {
            return;
        }
        ByteBuffer pending = ByteBuffer.wrap(wbuf, 0, wlen);
        long at = position - wlen;
        // FileCalls.write returns the position after the write (the size, in append mode)
        long end;
        try {
            end = call("write", op -> FileCalls.write(channel, pending, at, relative()), w -> {
                wlen = 0;
                position = w;
            });
        } catch (IOException | RuntimeException e) {
            // reported once: the bytes are dropped, and the position goes back to what was written
            if (wlen > 0) {
                position -= wlen;
                wlen = 0;
            }
            throw e;
        }
        wlen = 0;
        position = end;
    }

    private void dropReadAhead() {
        rstart = 0;
        rend = 0;
        eofSeen = false;
    }

    // ------------------------------------------------------------------ position and size

    /**
     * {@return the position of the next read or write, in bytes from the start (Python's
     * {@code tell()}); after {@link #close()}, the last one} Never suspends.
     */
    public long position() {
        return position;
    }

    /**
     * Moves the position (Python's {@code seek(offset)}; for {@code seek(offset, SEEK_END)} use
     * {@code seek(size() + offset)}). Writes buffered bytes first, so it suspends when there are
     * some; checks for cancellation then.
     *
     * @param newPosition the new position; beyond the end is allowed (a later write leaves a
     *     hole of zeros)
     * @return the new position
     * @throws IllegalArgumentException if {@code newPosition} is negative
     * @throws IOException if writing the buffered bytes fails
     */
    public long seek(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position: " + newPosition);
        }
        enter("seek");
        try {
            flushWrites();
            long ahead = rend - rstart;
            if (newPosition >= position && newPosition <= position + ahead) {
                rstart += (int) (newPosition - position); // inside the read-ahead: keep the rest
            } else {
                dropReadAhead();
            }
            position = newPosition;
            return position;
        } finally {
            exit();
        }
    }

    /** Moves the logical position without a system call; for the text view's seek. */
    void resetPosition(long newPosition) {
        dropReadAhead();
        position = newPosition;
    }

    /**
     * {@return the file's size in bytes, counting buffered writes} Suspends; checks for
     * cancellation.
     *
     * @throws IOException if the size cannot be read
     */
    public long size() throws IOException {
        enter("size");
        try {
            long onDisk = regular ? call("size", op -> channel.size(), null) : 0;
            return wlen == 0 ? onDisk : Math.max(onDisk, position);
        } finally {
            exit();
        }
    }

    /**
     * Truncates the file to {@code size} bytes (Python's {@code truncate(size)}); a larger size
     * leaves the file as it is. The position does not move. Writes buffered bytes first. Suspends;
     * checks for cancellation.
     *
     * @param size the new size
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IOException if it fails
     */
    public void truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        enter("truncate");
        try {
            flushWrites();
            dropReadAhead();
            call("truncate", op -> channel.truncate(size), null);
        } finally {
            exit();
        }
    }

    /**
     * Truncates the file at the position: Python's {@code truncate()}. Suspends; checks for
     * cancellation.
     *
     * @throws IOException if it fails
     */
    public void truncate() throws IOException {
        truncate(position());
    }

    /**
     * Writes buffered bytes and forces the file's content (and, with {@code metadata}, its
     * metadata) to the storage device: {@code os.fsync} ({@code os.fdatasync} without metadata).
     * Suspends; checks for cancellation.
     *
     * @param metadata whether to force the metadata too
     * @throws IOException if it fails
     */
    public void force(boolean metadata) throws IOException {
        enter("force");
        try {
            flushWrites();
            call("force", op -> {
                channel.force(metadata);
                return null;
            }, null);
        } finally {
            exit();
        }
    }

    /** {@return whether the file is closed} Never suspends. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Writes buffered bytes and closes the file; idempotent. The close runs to its end even when
     * the task is being cancelled (it is shielded, as cleanup must be): the cancellation is then
     * delivered at the task's next suspension point. A {@linkplain AsyncFiles#temporaryFile()
     * temporary file} is deleted. Suspends.
     *
     * @throws IOException if writing the buffered bytes fails (the file is closed nonetheless)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (busy) {
            throw new IllegalStateException("close() called while another task is using " + this);
        }
        closed = true;
        busy = true;
        try (var _ = io.asyncio4j.Asyncio.shieldedScope()) {
            ByteBuffer pending = broken || wlen == 0 ? null : ByteBuffer.wrap(wbuf, 0, wlen);
            long at = position - wlen;
            wlen = 0;
            boolean relative = relative();
            FileOp.execute("AsyncFile.close()", op -> {
                FileCalls.flushAndClose(channel, pending, at, relative, deleteAfterClose);
                return null;
            });
        } finally {
            busy = false;
            rbuf = EMPTY;
            wbuf = null;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private <R> R call(String what, FileOp.Call<R> c, java.util.function.Consumer<R> kept) throws IOException {
        return FileOp.execute("AsyncFile." + what + "()", c, !regular, new FileOp.Outcomes<R>() {
            @Override
            public void kept(R result) {
                if (kept != null) {
                    kept.accept(result);
                }
            }

            @Override
            public void abandoned() {
                broken = true;
            }
        });
    }

    void enter(String what) throws ClosedChannelException {
        checkOpen();
        if (busy) {
            throw new IllegalStateException(what + "() called while another task is using " + this);
        }
        if (broken) {
            throw new IllegalStateException("an operation on " + this + " was abandoned by a cancellation: "
                    + "its position is unknown, close it");
        }
        busy = true;
    }

    void exit() {
        busy = false;
    }

    private void checkOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    // ------------------------------------------------------------------ for the text view

    byte[] readBuffer() {
        return rbuf;
    }

    int readStart() {
        return rstart;
    }

    int readEnd() {
        return rend;
    }

    /** Consumes n bytes of the read-ahead. */
    void consume(int n) {
        rstart += n;
        position += n;
    }

    boolean atEofSeen() {
        return eofSeen && rstart == rend;
    }

    @Override
    public String toString() {
        return "<AsyncFile " + path + (closed ? " closed" : " position=" + position) + ">";
    }
}
