package io.asyncio4j.file;

import io.asyncio4j.internal.file.DirSource;
import io.asyncio4j.internal.file.FileCalls;
import io.asyncio4j.internal.file.FileCopy;
import io.asyncio4j.internal.file.FileOp;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Whole-file operations and the file system, without blocking the event loop: aiofiles'
 * {@code aiofiles.os}, {@code aiofiles.ospath} and {@code aiofiles.tempfile}, with
 * {@link java.nio.file.Files}' names where Java has one. Every method runs its system calls on
 * the file threads (see {@link AsyncFile}) while the calling task waits, and must be called from
 * a task.
 *
 * {@snippet :
 * byte[] data = AsyncFiles.readBytes(path);
 * AsyncFiles.writeString(dir.resolve("out.txt"), "hello\n");
 * if (AsyncFiles.exists(path)) AsyncFiles.remove(path);
 * try (DirectoryScan scan = AsyncFiles.scandir(dir)) {
 *     for (DirEntry e : scan) System.out.println(e.name());
 * }
 * }
 *
 * <p>Errors are the JDK's precise {@link IOException}s, thrown by the call that met them, with the
 * caller's frames in their stack trace. <b>Cancellation</b>: a task cancelled while it waits
 * receives the cancellation once the system call in flight ended, and the call's effect is then
 * there (a file written, a directory made) or, for an error, not; {@link #copy} stops between its
 * 64 MiB steps and deletes the partial copy. Calls on a FIFO or a device, which may block for
 * ever, run on threads of their own and are abandoned at once by a cancellation.
 */
public final class AsyncFiles {
    private AsyncFiles() {
    }

    // ------------------------------------------------------------------ whole files

    /**
     * Reads a whole file. Suspends; checks for cancellation.
     *
     * @param path the file
     * @return its bytes
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException}...)
     */
    public static byte[] readBytes(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return FileOp.execute("AsyncFiles.readBytes()", op -> FileCalls.readBytes(op, path));
    }

    /**
     * Reads a whole file as UTF-8 text. Suspends; checks for cancellation.
     *
     * @param path the file
     * @return its text
     * @throws IOException if it cannot be read, or is not UTF-8 ({@link java.nio.charset.MalformedInputException})
     */
    public static String readString(Path path) throws IOException {
        return readString(path, StandardCharsets.UTF_8);
    }

    /**
     * Reads a whole file as text; decoding runs on the file threads too. Suspends; checks for
     * cancellation.
     *
     * @param path the file
     * @param charset its charset
     * @return its text
     * @throws IOException if it cannot be read or decoded
     */
    public static String readString(Path path, Charset charset) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return FileOp.execute("AsyncFiles.readString()", op -> {
            FileCalls.specialCheck(op, path);
            return Files.readString(path, charset);
        });
    }

    /**
     * Writes a whole file: by default creates it or truncates it first (Python's
     * {@code open(path, 'wb').write(data)}); with {@link StandardOpenOption#APPEND} appends, with
     * {@link StandardOpenOption#CREATE_NEW} fails if it exists. Suspends; checks for cancellation.
     *
     * @param path the file
     * @param data the bytes
     * @param options open options; none means {@code CREATE, TRUNCATE_EXISTING} ({@code WRITE}
     *     is implied)
     * @return the path
     * @throws IOException if it cannot be written
     */
    public static Path writeBytes(Path path, byte[] data, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(data, "data");
        OpenOption[] opts = options.clone();
        FileOp.execute("AsyncFiles.writeBytes()", op -> {
            FileCalls.writeBytes(op, path, data, opts);
            return null;
        });
        return path;
    }

    /**
     * Writes text as UTF-8; see {@link #writeBytes}. Suspends; checks for cancellation.
     *
     * @param path the file
     * @param text the text
     * @param options open options, as for {@link #writeBytes}
     * @return the path
     * @throws IOException if it cannot be written
     */
    public static Path writeString(Path path, CharSequence text, OpenOption... options) throws IOException {
        return writeString(path, text, StandardCharsets.UTF_8, options);
    }

    /**
     * Writes text in a charset; encoding runs on the file threads too. Suspends; checks for
     * cancellation.
     *
     * @param path the file
     * @param text the text
     * @param charset the charset
     * @param options open options, as for {@link #writeBytes}
     * @return the path
     * @throws IOException if it cannot be written, or a character cannot be encoded
     *     ({@link java.nio.charset.UnmappableCharacterException}; nothing is written then)
     */
    public static Path writeString(Path path, CharSequence text, Charset charset, OpenOption... options)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        String s = text.toString();
        OpenOption[] opts = options.clone();
        FileOp.execute("AsyncFiles.writeString()", op -> {
            java.nio.ByteBuffer encoded = charset.newEncoder().encode(java.nio.CharBuffer.wrap(s));
            byte[] data = new byte[encoded.remaining()];
            encoded.get(data);
            FileCalls.writeBytes(op, path, data, opts);
            return null;
        });
        return path;
    }

    /**
     * Copies a file ({@link Files#copy(Path, Path, CopyOption...)}); a regular file is copied in
     * steps of 64 MiB (in-kernel where the system can), and a cancellation or failure between two
     * steps deletes the partial copy. Suspends; checks for cancellation.
     *
     * @param source the file
     * @param target the copy
     * @param options {@link StandardCopyOption#REPLACE_EXISTING}, {@link StandardCopyOption#COPY_ATTRIBUTES}
     *     (the modification time and the POSIX permissions), {@link LinkOption#NOFOLLOW_LINKS}
     * @return the target
     * @throws IOException as {@code Files.copy}: {@link java.nio.file.FileAlreadyExistsException}...
     */
    public static Path copy(Path source, Path target, CopyOption... options) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        return FileCopy.copy(source, target, options.clone());
    }

    /**
     * Moves or renames a file or directory ({@link Files#move}); across file systems it is a copy
     * and a delete, made in one call. Suspends; checks for cancellation.
     *
     * @param source the file
     * @param target where it goes
     * @param options {@link StandardCopyOption#REPLACE_EXISTING}, {@link StandardCopyOption#ATOMIC_MOVE}
     * @return the target
     * @throws IOException as {@code Files.move}
     */
    public static Path move(Path source, Path target, CopyOption... options) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        CopyOption[] opts = options.clone();
        return FileOp.execute("AsyncFiles.move()", op -> Files.move(source, target, opts));
    }

    // ------------------------------------------------------------------ os and os.path

    /**
     * Reads a file's basic attributes: {@code os.stat} ({@code os.lstat} with
     * {@link LinkOption#NOFOLLOW_LINKS}). Suspends; checks for cancellation.
     *
     * @param path the file
     * @param options link options
     * @return its attributes
     * @throws IOException if it does not exist or cannot be read
     */
    public static BasicFileAttributes stat(Path path, LinkOption... options) throws IOException {
        return readAttributes(path, BasicFileAttributes.class, options);
    }

    /**
     * Reads a file's attributes of a given kind ({@link Files#readAttributes(Path, Class, LinkOption...)}):
     * {@link java.nio.file.attribute.PosixFileAttributes} for the owner and permissions, say.
     * Suspends; checks for cancellation.
     *
     * @param <A> the kind
     * @param path the file
     * @param type the kind's class
     * @param options link options
     * @return the attributes
     * @throws IOException if it does not exist or cannot be read
     * @throws UnsupportedOperationException if the file system does not have that kind
     */
    public static <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        LinkOption[] opts = options.clone();
        return FileOp.execute("AsyncFiles.stat()", op -> Files.readAttributes(path, type, opts));
    }

    /**
     * {@return whether a file exists} {@code os.path.exists} ({@code lexists} with
     * {@link LinkOption#NOFOLLOW_LINKS}). Suspends; checks for cancellation.
     *
     * @param path the file
     * @param options link options
     */
    public static boolean exists(Path path, LinkOption... options) {
        Objects.requireNonNull(path, "path");
        LinkOption[] opts = options.clone();
        return FileOp.execute("AsyncFiles.exists()", op -> Files.exists(path, opts));
    }

    /**
     * {@return whether a path is a regular file} {@code os.path.isfile}. Suspends; checks for
     * cancellation.
     *
     * @param path the file
     * @param options link options
     */
    public static boolean isFile(Path path, LinkOption... options) {
        Objects.requireNonNull(path, "path");
        LinkOption[] opts = options.clone();
        return FileOp.execute("AsyncFiles.isFile()", op -> Files.isRegularFile(path, opts));
    }

    /**
     * {@return whether a path is a directory} {@code os.path.isdir}. Suspends; checks for
     * cancellation.
     *
     * @param path the file
     * @param options link options
     */
    public static boolean isDirectory(Path path, LinkOption... options) {
        Objects.requireNonNull(path, "path");
        LinkOption[] opts = options.clone();
        return FileOp.execute("AsyncFiles.isDirectory()", op -> Files.isDirectory(path, opts));
    }

    /**
     * {@return whether a path is a symbolic link} {@code os.path.islink}. Suspends; checks for
     * cancellation.
     *
     * @param path the file
     */
    public static boolean isSymbolicLink(Path path) {
        Objects.requireNonNull(path, "path");
        return FileOp.execute("AsyncFiles.isSymbolicLink()", op -> Files.isSymbolicLink(path));
    }

    /**
     * {@return a file's size in bytes} {@code os.path.getsize}. Suspends; checks for cancellation.
     *
     * @param path the file
     * @throws IOException if it does not exist or cannot be read
     */
    public static long size(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return FileOp.execute("AsyncFiles.size()", op -> Files.size(path));
    }

    /**
     * Renames a file or directory, replacing the target if it exists (as {@code os.rename} does
     * on POSIX); atomic, on one file system only. Suspends; checks for cancellation.
     *
     * @param source the file
     * @param target its new name
     * @throws IOException if it fails ({@link java.nio.file.AtomicMoveNotSupportedException}
     *     across file systems: use {@link #move})
     */
    public static void rename(Path source, Path target) throws IOException {
        move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Deletes a file or a link: {@code os.remove}. A directory is refused (use {@link #rmdir}).
     * Suspends; checks for cancellation.
     *
     * @param path the file
     * @throws IOException if it fails: {@link java.nio.file.NoSuchFileException} if it does not
     *     exist, a {@link FileSystemException} "Is a directory" for a directory
     */
    public static void remove(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        FileOp.execute("AsyncFiles.remove()", op -> {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileSystemException(path.toString(), null, "Is a directory");
            }
            Files.delete(path);
            return null;
        });
    }

    /**
     * Creates a directory: {@code os.mkdir}. Suspends; checks for cancellation.
     *
     * @param dir the directory
     * @param attributes initial attributes (POSIX permissions, say)
     * @throws IOException if it fails ({@link java.nio.file.FileAlreadyExistsException},
     *     {@link java.nio.file.NoSuchFileException} for a missing parent)
     */
    public static void mkdir(Path dir, FileAttribute<?>... attributes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        FileAttribute<?>[] attrs = attributes.clone();
        FileOp.execute("AsyncFiles.mkdir()", op -> Files.createDirectory(dir, attrs));
    }

    /**
     * Creates a directory and its missing parents: {@code os.makedirs(path, exist_ok=True)}.
     * Suspends; checks for cancellation.
     *
     * @param dir the directory
     * @param attributes initial attributes of the directories made
     * @throws IOException if it fails (a {@link java.nio.file.FileAlreadyExistsException} if a
     *     file that is not a directory is in the way)
     */
    public static void makedirs(Path dir, FileAttribute<?>... attributes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        FileAttribute<?>[] attrs = attributes.clone();
        FileOp.execute("AsyncFiles.makedirs()", op -> Files.createDirectories(dir, attrs));
    }

    /**
     * Deletes an empty directory: {@code os.rmdir}. Suspends; checks for cancellation.
     *
     * @param dir the directory
     * @throws IOException if it fails: {@link java.nio.file.DirectoryNotEmptyException},
     *     {@link NotDirectoryException}, {@link java.nio.file.NoSuchFileException}
     */
    public static void rmdir(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        FileOp.execute("AsyncFiles.rmdir()", op -> {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotDirectoryException(dir.toString());
            }
            Files.delete(dir);
            return null;
        });
    }

    /**
     * Lists a directory: {@code os.listdir}, as paths (the directory resolved with each name), in
     * the directory's order. Suspends; checks for cancellation.
     *
     * @param dir the directory
     * @return its entries
     * @throws IOException if it cannot be read ({@link NotDirectoryException}...)
     */
    public static List<Path> listdir(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        return FileOp.execute("AsyncFiles.listdir()", op -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.toList();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    /**
     * Opens a directory's entries with their attributes as an async iterator: {@code os.scandir}.
     * Suspends; checks for cancellation.
     *
     * @param dir the directory
     * @return the scan, to iterate in try-with-resources
     * @throws IOException if it cannot be opened ({@link NotDirectoryException}...)
     */
    public static DirectoryScan scandir(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        DirSource source = FileOp.execute("AsyncFiles.scandir()", op -> DirSource.scandir(dir), false,
                new FileOp.Outcomes<DirSource>() {
                    @Override
                    public void kept(DirSource s) {
                        FileCalls.closeLater(s::close);
                    }
                });
        return new DirectoryScan(source);
    }

    /**
     * Walks a directory tree depth-first, in pre-order ({@link Files#walk(Path, FileVisitOption...)}):
     * the start first, then each directory before its contents, as an async iterator. Suspends;
     * checks for cancellation.
     *
     * @param start where to start
     * @param options {@link FileVisitOption#FOLLOW_LINKS} to follow symbolic links (a link loop
     *     then fails with {@link java.nio.file.FileSystemLoopException})
     * @return the walk, to iterate in try-with-resources
     * @throws IOException if the start cannot be read
     */
    public static DirectoryScan walk(Path start, FileVisitOption... options) throws IOException {
        return walk(start, Integer.MAX_VALUE, options);
    }

    /**
     * Walks a directory tree down to a depth; see {@link #walk(Path, FileVisitOption...)}.
     * Suspends; checks for cancellation.
     *
     * @param start where to start
     * @param maxDepth the deepest level: 0 is the start only, 1 adds its entries...
     * @param options {@link FileVisitOption#FOLLOW_LINKS}
     * @return the walk
     * @throws IOException if the start cannot be read
     * @throws IllegalArgumentException if {@code maxDepth} is negative
     */
    public static DirectoryScan walk(Path start, int maxDepth, FileVisitOption... options) throws IOException {
        Objects.requireNonNull(start, "start");
        if (maxDepth < 0) {
            throw new IllegalArgumentException("'maxDepth' is negative");
        }
        boolean follow = Arrays.asList(options).contains(FileVisitOption.FOLLOW_LINKS);
        DirSource source = FileOp.execute("AsyncFiles.walk()", op -> DirSource.walk(start, maxDepth, follow));
        return new DirectoryScan(source);
    }

    /**
     * Creates a hard link {@code target} to the existing file {@code source}: {@code os.link(src, dst)}.
     * Suspends; checks for cancellation.
     *
     * @param source the existing file
     * @param target the new link
     * @throws IOException if it fails
     */
    public static void link(Path source, Path target) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        FileOp.execute("AsyncFiles.link()", op -> Files.createLink(target, source));
    }

    /**
     * Creates a symbolic link {@code link} pointing to {@code target}: {@code os.symlink(src, dst)},
     * in the same order. Suspends; checks for cancellation.
     *
     * @param target what the link points to (need not exist; may be relative to the link's directory)
     * @param link the new link
     * @throws IOException if it fails
     */
    public static void symlink(Path target, Path link) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(link, "link");
        FileOp.execute("AsyncFiles.symlink()", op -> Files.createSymbolicLink(link, target));
    }

    /**
     * Reads where a symbolic link points: {@code os.readlink}. Suspends; checks for cancellation.
     *
     * @param link the link
     * @return its target, as stored in the link
     * @throws IOException if it fails ({@link java.nio.file.NotLinkException} for a file that is
     *     not a link)
     */
    public static Path readlink(Path link) throws IOException {
        Objects.requireNonNull(link, "link");
        return FileOp.execute("AsyncFiles.readlink()", op -> Files.readSymbolicLink(link));
    }

    // ------------------------------------------------------------------ temporary files

    /**
     * Creates and opens a temporary file in the default temporary directory, for reading and
     * writing, deleted when it is closed: aiofiles' {@code tempfile.NamedTemporaryFile()}.
     * Suspends; checks for cancellation.
     *
     * @return the open file; {@link AsyncFile#path()} names it
     * @throws IOException if it cannot be created
     */
    public static AsyncFile temporaryFile() throws IOException {
        return temporaryFile(null, null, null);
    }

    /**
     * Creates and opens a temporary file, deleted when it is closed. Suspends; checks for
     * cancellation (a file made meanwhile is deleted).
     *
     * @param dir the directory, or null for the default temporary directory
     * @param prefix the name's prefix, or null
     * @param suffix the name's suffix, or null for {@code ".tmp"}
     * @return the open file
     * @throws IOException if it cannot be created
     */
    public static AsyncFile temporaryFile(Path dir, String prefix, String suffix) throws IOException {
        Object[] made = FileOp.execute("AsyncFiles.temporaryFile()", op -> {
            Path p = dir == null ? Files.createTempFile(prefix, suffix) : Files.createTempFile(dir, prefix, suffix);
            try {
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                return new Object[] {p, new FileCalls.Opened(ch, true, 0)};
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(p);
                throw e;
            }
        }, false, new FileOp.Outcomes<Object[]>() {
            @Override
            public void kept(Object[] m) {
                FileCalls.closeLater(() -> {
                    FileCalls.closeQuietly(((FileCalls.Opened) m[1]).channel());
                    Files.deleteIfExists((Path) m[0]);
                });
            }
        });
        Path p = (Path) made[0];
        return new AsyncFile(p, (FileCalls.Opened) made[1], false, p);
    }

    /**
     * Creates a temporary directory in the default temporary directory, deleted with its contents
     * when it is closed: aiofiles' {@code tempfile.TemporaryDirectory()}. Suspends; checks for
     * cancellation.
     *
     * @return the directory
     * @throws IOException if it cannot be created
     */
    public static TemporaryDirectory temporaryDirectory() throws IOException {
        return temporaryDirectory(null, null);
    }

    /**
     * Creates a temporary directory, deleted with its contents when it is closed. Suspends; checks
     * for cancellation (a directory made meanwhile is deleted).
     *
     * @param dir the parent directory, or null for the default temporary directory
     * @param prefix the name's prefix, or null
     * @return the directory
     * @throws IOException if it cannot be created
     */
    public static TemporaryDirectory temporaryDirectory(Path dir, String prefix) throws IOException {
        Path p = FileOp.execute("AsyncFiles.temporaryDirectory()",
                op -> dir == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(dir, prefix), false,
                new FileOp.Outcomes<Path>() {
                    @Override
                    public void kept(Path made) {
                        FileCalls.closeLater(() -> Files.deleteIfExists(made));
                    }
                });
        return new TemporaryDirectory(p);
    }
}
