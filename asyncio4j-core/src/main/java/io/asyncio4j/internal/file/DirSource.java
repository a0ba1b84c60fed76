package io.asyncio4j.internal.file;

import io.asyncio4j.file.DirEntry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The entries of a directory ({@code scandir}) or of a directory tree (a depth-first walk in
 * pre-order, as {@link Files#walk}), produced in batches, each batch by one call on a file thread.
 * A directory stream is open from the first batch until the last one (which closes it) or
 * {@link #close()}. Not thread-safe: the loop hands it to one file thread at a time.
 */
public final class DirSource {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    private record Frame(DirectoryStream<Path> stream, Iterator<Path> entries, int depth, Object key) {
    }

    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private final int maxDepth;
    private final boolean followLinks;
    /** The walk's start entry, emitted first (null for scandir, or once emitted). */
    private DirEntry start;
    private boolean done;

    private DirSource(int maxDepth, boolean followLinks) {
        this.maxDepth = maxDepth;
        this.followLinks = followLinks;
    }

    /**
     * Opens a directory for {@code scandir}. A file thread.
     *
     * @param dir the directory
     * @return the source of its entries (not recursive)
     * @throws IOException if it cannot be opened ({@link java.nio.file.NotDirectoryException}...)
     */
    public static DirSource scandir(Path dir) throws IOException {
        DirSource s = new DirSource(1, false);
        DirectoryStream<Path> ds = Files.newDirectoryStream(Objects.requireNonNull(dir, "dir"));
        s.stack.push(new Frame(ds, ds.iterator(), 0, null));
        return s;
    }

    /**
     * Starts a walk: reads the start's attributes. A file thread.
     *
     * @param startPath where the walk starts (itself its first entry)
     * @param maxDepth how deep to go: 0 is the start only
     * @param followLinks whether to follow symbolic links (a loop then fails the walk)
     * @return the source of the tree's entries
     * @throws IOException if the start cannot be read
     */
    public static DirSource walk(Path startPath, int maxDepth, boolean followLinks) throws IOException {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("'maxDepth' is negative");
        }
        DirSource s = new DirSource(maxDepth, followLinks);
        s.start = new DirEntry(startPath, s.attributes(Objects.requireNonNull(startPath, "start")));
        return s;
    }

    private BasicFileAttributes attributes(Path p) throws IOException {
        if (followLinks) {
            try {
                return Files.readAttributes(p, BasicFileAttributes.class, FOLLOW);
            } catch (IOException brokenLink) {
                // a link to nothing is reported as the link, as Files.walk does
            }
        }
        return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    }

    /**
     * Produces up to {@code max} entries; an empty list at the end, when every directory stream
     * is closed. A file thread.
     *
     * @param max the most entries
     * @return the entries
     * @throws IOException if a directory cannot be read (the source is then closed)
     */
    public List<DirEntry> next(int max) throws IOException {
        List<DirEntry> out = new ArrayList<>(Math.min(max, 256));
        try {
            if (start != null) {
                DirEntry s = start;
                start = null;
                out.add(s);
                descendInto(s, 0);
            }
            while (out.size() < max && !stack.isEmpty()) {
                Frame top = stack.peek();
                if (!top.entries().hasNext()) {
                    stack.pop().stream().close();
                    continue;
                }
                Path p = top.entries().next();
                BasicFileAttributes a;
                try {
                    a = attributes(p);
                } catch (NoSuchFileException vanished) {
                    continue; // deleted since the directory was read
                }
                DirEntry e = new DirEntry(p, a);
                out.add(e);
                descendInto(e, top.depth() + 1);
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            close();
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        if (stack.isEmpty()) {
            done = true;
        }
        return out;
    }

    private void descendInto(DirEntry e, int depth) throws IOException {
        if (depth >= maxDepth || !e.attributes().isDirectory()) {
            return;
        }
        Object key = e.attributes().fileKey();
        if (followLinks && key != null) {
            for (Frame f : stack) {
                if (key.equals(f.key())) {
                    throw new FileSystemLoopException(e.path().toString());
                }
            }
        }
        DirectoryStream<Path> ds = Files.newDirectoryStream(e.path());
        stack.push(new Frame(ds, ds.iterator(), depth, key));
    }

    /** {@return whether every entry was produced} */
    public boolean isDone() {
        return done;
    }

    /** Closes the open directory streams; idempotent. A file thread. */
    public void close() {
        start = null;
        done = true;
        while (!stack.isEmpty()) {
            try {
                stack.pop().stream().close();
            } catch (IOException ignored) {
                // a directory stream that fails to close holds nothing we could release
            }
        }
    }
}
