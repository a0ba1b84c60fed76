package io.asyncio4j.internal.file;

import io.asyncio4j.Asyncio;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.List;

/**
 * Copies a regular file in steps (one {@link FileChannel#transferTo} of at most 64 MiB per call
 * on a file thread, in-kernel where the system can), so that a cancellation between two steps
 * stops the copy; a copy that fails or is cancelled deletes the partial target, as the JDK does
 * with an interrupted copy. Anything else (a directory, a link with {@code NOFOLLOW_LINKS}, a
 * FIFO) is copied by {@link Files#copy} in one call.
 */
public final class FileCopy {
    private static final long STEP = 64L * 1024 * 1024;

    private FileCopy() {
    }

    private record Copying(FileChannel from, FileChannel to, long size, BasicFileAttributes attrs) {
    }

    /**
     * Copies {@code source} to {@code target} from a task. Suspends; checks for cancellation
     * between steps.
     *
     * @param source the file to copy
     * @param target the copy
     * @param options {@link StandardCopyOption#REPLACE_EXISTING}, {@link StandardCopyOption#COPY_ATTRIBUTES},
     *     {@link LinkOption#NOFOLLOW_LINKS}
     * @return the target
     * @throws IOException as {@link Files#copy(Path, Path, CopyOption...)}
     */
    public static Path copy(Path source, Path target, CopyOption... options) throws IOException {
        List<CopyOption> opts = Arrays.asList(options);
        for (CopyOption o : opts) {
            if (o != StandardCopyOption.REPLACE_EXISTING && o != StandardCopyOption.COPY_ATTRIBUTES
                    && o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("Unsupported copy option: " + o);
            }
        }
        boolean replace = opts.contains(StandardCopyOption.REPLACE_EXISTING);
        LinkOption[] follow = opts.contains(LinkOption.NOFOLLOW_LINKS)
                ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        Copying c = FileOp.execute("AsyncFiles.copy()", op -> {
            BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class, follow);
            if (!a.isRegularFile()) {
                if (a.isOther()) {
                    op.markInterruptible();
                }
                Files.copy(source, target, options);
                return null;
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!replace) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                if (Files.isSameFile(source, target)) {
                    return null;
                }
                Files.delete(target); // DirectoryNotEmptyException for a non-empty directory, as Files.copy
            }
            FileChannel from = FileChannel.open(source, StandardOpenOption.READ);
            try {
                FileChannel to = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                return new Copying(from, to, from.size(), a);
            } catch (IOException | RuntimeException e) {
                from.close();
                throw e;
            }
        }, false, new FileOp.Outcomes<Copying>() {
            @Override
            public void kept(Copying copying) {
                abort(copying, target);
            }
        });
        if (c == null) {
            return target;
        }
        boolean ok = false;
        try {
            long pos = 0;
            while (pos < c.size()) {
                long at = pos;
                long n = FileOp.execute("AsyncFiles.copy()", op -> transfer(c, at, Math.min(STEP, c.size() - at)));
                if (n <= 0) {
                    break; // the source shrank: copy what there was
                }
                pos += n;
            }
            boolean attributes = opts.contains(StandardCopyOption.COPY_ATTRIBUTES);
            FileOp.execute("AsyncFiles.copy()", op -> {
                try {
                    c.from().close();
                } finally {
                    c.to().close();
                }
                if (attributes) {
                    copyAttributes(c.attrs(), source, target);
                }
                return null;
            });
            ok = true;
            return target;
        } finally {
            if (!ok) {
                abort(c, target);
            }
        }
    }

    /** One step: transfers of at most {@link FileCalls#SLICE} bytes, so each system call returns soon. */
    private static long transfer(Copying c, long at, long count) throws IOException {
        long done = 0;
        while (done < count) {
            long n = c.from().transferTo(at + done, Math.min(FileCalls.SLICE, count - done), c.to());
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** Closes both channels and deletes the partial target; shielded, so a cancelled copy cleans up. */
    private static void abort(Copying c, Path target) {
        try (var _ = Asyncio.shieldedScope()) {
            FileOp.execute("AsyncFiles.copy()", op -> {
                FileCalls.closeQuietly(c.from());
                FileCalls.closeQuietly(c.to());
                Files.deleteIfExists(target);
                return null;
            });
        } catch (Exception e) {
            // the copy's own failure (or cancellation) is the one to report
        }
    }

    private static void copyAttributes(BasicFileAttributes a, Path source, Path target) throws IOException {
        Files.setLastModifiedTime(target, a.lastModifiedTime());
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view != null) {
            PosixFileAttributes p = Files.readAttributes(source, PosixFileAttributes.class);
            view.setPermissions(p.permissions());
        }
    }
}
