package io.asyncio4j.internal.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The blocking calls behind {@code io.asyncio4j.file}: each method either runs on a file thread
 * (those taking no {@link FileOp}) or hands its call to one and waits ({@link #open}).
 */
public final class FileCalls {
    /**
     * The most bytes one read or write system call moves. Why: this kernel runs without
     * preemption (as most servers' do), so a thread copying a large buffer into the page cache
     * holds its processor until the call returns: 1 MiB took up to 4 ms here, and the loop thread,
     * waking meanwhile, waited that long. Calls of 256 KiB return within about a millisecond.
     */
    public static final int SLICE = 256 * 1024;

    private FileCalls() {
    }

    /**
     * An opened channel and what the open learned about its file.
     *
     * @param channel the channel
     * @param regular whether the file is a regular one (positional I/O, calls that end)
     * @param size the file's size when it was opened
     */
    public record Opened(FileChannel channel, boolean regular, long size) {
    }

    /**
     * Normalizes open options: {@code READ} when neither {@code READ}, {@code WRITE} nor
     * {@code APPEND} is given, as {@code FileChannel.open} does.
     *
     * @param options the caller's options
     * @return a mutable set of them
     */
    public static Set<OpenOption> options(OpenOption... options) {
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        for (OpenOption o : options) {
            if (o == null) {
                throw new NullPointerException("open option");
            }
        }
        if (!set.contains(StandardOpenOption.READ) && !set.contains(StandardOpenOption.WRITE)
                && !set.contains(StandardOpenOption.APPEND)) {
            set.add(StandardOpenOption.READ);
        }
        return set;
    }

    /**
     * Opens a channel on a file thread; a FIFO or a device moves the call to a thread of its own
     * and makes it interruptible. A channel opened for a task that was cancelled meanwhile is
     * closed again. Suspends; checks for cancellation.
     *
     * @param path the file
     * @param options normalized options
     * @return the channel
     * @throws IOException if it cannot be opened; a directory gives a {@link FileSystemException}
     *     "Is a directory", as Python's {@code open} does
     */
    public static Opened open(Path path, Set<OpenOption> options) throws IOException {
        if (path == null) {
            throw new NullPointerException("path");
        }
        LinkOption[] follow = options.contains(LinkOption.NOFOLLOW_LINKS)
                ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        return FileOp.execute("AsyncFile.open()", op -> {
            BasicFileAttributes before = attributesOrNull(path, follow);
            if (before != null && before.isDirectory()) {
                throw new FileSystemException(path.toString(), null, "Is a directory");
            }
            boolean regular = before == null || before.isRegularFile();
            if (!regular) {
                op.markInterruptible(); // a FIFO's open waits for the other end
            }
            FileChannel ch = FileChannel.open(path, options);
            try {
                return new Opened(ch, regular, options.contains(StandardOpenOption.APPEND) ? ch.size() : 0);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }, false, new FileOp.Outcomes<Opened>() {
            @Override
            public void kept(Opened opened) {
                closeLater(opened.channel());
            }

            @Override
            public void discard(Opened opened) {
                closeQuietly(opened.channel());
            }
        });
    }

    /**
     * {@return the attributes of a file, or null if it does not exist} A file thread.
     *
     * @param path the file
     * @param options link options
     * @throws IOException if they cannot be read for another reason
     */
    public static BasicFileAttributes attributesOrNull(Path path, LinkOption... options) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Reads into a buffer at a position (at the channel's own position for a FIFO). A file thread.
     *
     * @param ch the channel
     * @param dst the buffer
     * @param at the file position
     * @param regular whether the file is a regular one
     * @return the bytes read, or -1 at the end
     * @throws IOException if the read fails
     */
    public static int read(FileChannel ch, ByteBuffer dst, long at, boolean regular) throws IOException {
        return regular ? ch.read(dst, at) : ch.read(dst);
    }

    /**
     * Reads up to {@code want} bytes at a position, as many as the file has (several reads when
     * the system returns fewer); an empty array at the end. A file thread.
     *
     * @param ch the channel
     * @param at the file position
     * @param want the most bytes to read
     * @param regular whether the file is a regular one
     * @return the bytes
     * @throws IOException if the read fails
     */
    public static byte[] readUpTo(FileChannel ch, long at, int want, boolean regular) throws IOException {
        int len = want;
        if (regular) {
            long avail = ch.size() - at;
            // the size bounds the array; a file that grows meanwhile is read in the next step
            len = (int) Math.min(want, Math.max(avail, 0));
            if (len == 0) {
                len = Math.min(want, 8192);
            }
        } else {
            len = Math.min(want, 64 * 1024);
        }
        byte[] b = new byte[len];
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            buf.limit(Math.min(len, buf.position() + SLICE));
            int n = regular ? ch.read(buf, at + buf.position()) : ch.read(buf);
            buf.limit(len);
            if (n < 0 || (!regular && n > 0)) {
                break; // a FIFO returns what it has: do not wait for more
            }
        }
        return buf.position() == len ? b : Arrays.copyOf(b, buf.position());
    }

    /**
     * Writes a whole buffer at a position (at the end in append mode; at the channel's position
     * for a FIFO). A file thread.
     *
     * @param ch the channel
     * @param src the bytes
     * @param at the file position
     * @param relative whether to write at the channel's own position (append mode, FIFOs)
     * @return the position after the write (the file's size, in append mode)
     * @throws IOException if the write fails
     */
    public static long write(FileChannel ch, ByteBuffer src, long at, boolean relative) throws IOException {
        long pos = at;
        int limit = src.limit();
        while (src.hasRemaining()) {
            src.limit(Math.min(limit, src.position() + SLICE));
            if (relative) {
                pos += ch.write(src);
            } else {
                pos += ch.write(src, pos);
            }
            src.limit(limit);
        }
        return relative && ch.isOpen() ? Math.max(pos, positionOrZero(ch)) : pos;
    }

    private static long positionOrZero(FileChannel ch) {
        try {
            return ch.position();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Writes pending bytes, then closes the channel (and deletes the file, if asked). The channel
     * is closed even when the write fails. A file thread.
     *
     * @param ch the channel
     * @param pending bytes still to write, or null
     * @param at where they go
     * @param relative whether they go at the channel's own position
     * @param delete the file to delete after closing, or null
     * @throws IOException the write's failure, or the close's
     */
    public static void flushAndClose(FileChannel ch, ByteBuffer pending, long at, boolean relative, Path delete)
            throws IOException {
        try {
            if (pending != null && pending.hasRemaining()) {
                write(ch, pending, at, relative);
            }
        } finally {
            try {
                ch.close();
            } finally {
                if (delete != null) {
                    Files.deleteIfExists(delete);
                }
            }
        }
    }

    /**
     * Closes a channel on a file thread, without waiting. Any thread.
     *
     * @param ch the channel
     */
    public static void closeLater(java.io.Closeable ch) {
        FilePool.execute(() -> closeQuietly(ch));
    }

    /**
     * Closes, ignoring the failure: for channels nobody will use again.
     *
     * @param c the channel
     */
    public static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a channel nobody waits for: there is no one to tell
        }
    }

    // ------------------------------------------------------------------ whole files (file threads)

    /**
     * Moves the call to a thread of its own when the path names a FIFO or a device, whose calls
     * may block for ever (see {@link FileOp#markInterruptible()}). A file thread.
     *
     * @param op the running op
     * @param path the file
     * @return whether the file is such a special one
     * @throws IOException if the attributes cannot be read for a reason other than absence
     */
    public static boolean specialCheck(FileOp<?> op, Path path) throws IOException {
        BasicFileAttributes a = attributesOrNull(path);
        if (a != null && a.isOther()) {
            op.markInterruptible();
            return true;
        }
        return false;
    }

    /**
     * Reads a whole file. A file thread.
     *
     * @param op the running op
     * @param path the file
     * @return its bytes
     * @throws IOException if it cannot be read
     */
    public static byte[] readBytes(FileOp<?> op, Path path) throws IOException {
        if (specialCheck(op, path)) {
            return Files.readAllBytes(path);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("Required array size too large");
            }
            byte[] b = new byte[(int) size];
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                buf.limit(Math.min(b.length, buf.position() + SLICE));
                int n = ch.read(buf, buf.position());
                buf.limit(b.length);
                if (n < 0) {
                    return Arrays.copyOf(b, buf.position()); // the file shrank meanwhile
                }
            }
            // the file may have grown since its size was read: the rest goes too, as Files.readAllBytes
            if (ch.read(ByteBuffer.allocate(1), b.length) <= 0) {
                return b;
            }
            byte[] more = readUpTo(ch, b.length, Integer.MAX_VALUE - 8 - b.length, true);
            byte[] all = Arrays.copyOf(b, b.length + more.length);
            System.arraycopy(more, 0, all, b.length, more.length);
            return all;
        }
    }

    /**
     * Writes a whole file, with one write call when the system takes it. A file thread.
     *
     * @param op the running op
     * @param path the file
     * @param data the bytes
     * @param options open options; none means {@code CREATE, TRUNCATE_EXISTING} ({@code WRITE}
     *     is implied)
     * @throws IOException if it cannot be written
     */
    public static void writeBytes(FileOp<?> op, Path path, byte[] data, OpenOption... options) throws IOException {
        boolean special = specialCheck(op, path);
        Set<OpenOption> opts = new HashSet<>(Arrays.asList(options));
        if (opts.isEmpty()) {
            opts.add(StandardOpenOption.CREATE);
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (!opts.contains(StandardOpenOption.APPEND)) {
            opts.add(StandardOpenOption.WRITE);
        }
        try (FileChannel ch = FileChannel.open(path, opts)) {
            write(ch, ByteBuffer.wrap(data), 0, special || opts.contains(StandardOpenOption.APPEND));
        }
    }

    /**
     * Deletes a directory tree bottom-up without following links; goes on past failures and
     * throws the first one at the end. A file thread.
     *
     * @param root the tree's root
     * @throws IOException the first failure
     */
    public static void removeTree(Path root) throws IOException {
        IOException[] first = {null};
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                delete(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    keep(e);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) {
                if (e != null) {
                    keep(e);
                }
                delete(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            private void delete(Path p) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    keep(e);
                }
            }

            private void keep(IOException e) {
                if (first[0] == null) {
                    first[0] = e;
                } else {
                    first[0].addSuppressed(e);
                }
            }
        });
        if (first[0] != null) {
            throw first[0];
        }
    }
}
