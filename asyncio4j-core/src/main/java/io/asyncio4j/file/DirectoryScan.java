package io.asyncio4j.file;

import io.asyncio4j.Asyncio;
import io.asyncio4j.internal.file.DirSource;
import io.asyncio4j.internal.file.FileOp;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of a directory ({@link AsyncFiles#scandir}) or of a directory tree
 * ({@link AsyncFiles#walk}) as an async iterator: each step of the for-each loop may suspend
 * while the next entries are read, up to 256 at a time, on the file threads. Use it with
 * try-with-resources: the directories stay open until the iteration ends or the scan is closed.
 *
 * {@snippet :
 * try (DirectoryScan scan = AsyncFiles.walk(root)) {
 *     for (DirEntry e : scan) {
 *         if (e.isFile()) total += e.attributes().size();
 *     }
 * }
 * }
 *
 * <p>A directory that cannot be read fails the step that reaches it (undeclared
 * {@link IOException}, for example {@link java.nio.file.AccessDeniedException}); entries deleted
 * while the scan runs are skipped. It can be iterated once, by one task at a time.
 */
public final class DirectoryScan implements Iterable<DirEntry>, AutoCloseable {
    private static final int BATCH = 256;

    private final DirSource source;
    private List<DirEntry> batch = List.of();
    private int next;
    private boolean iterated;
    private boolean closed;
    private boolean busy;

    DirectoryScan(DirSource source) {
        this.source = source;
    }

    /**
     * Returns the iterator over the entries; each {@code hasNext()} may suspend and throws what
     * reading the directories throws (undeclared {@link IOException}). Checks for cancellation
     * when it suspends (a cancelled step loses no entry).
     *
     * @return the iterator
     * @throws IllegalStateException if called a second time
     */
    @Override
    public Iterator<DirEntry> iterator() {
        if (iterated) {
            throw new IllegalStateException("a DirectoryScan can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                if (closed || source.isDone()) {
                    return false;
                }
                if (busy) {
                    throw new IllegalStateException("hasNext() called while another task reads " + DirectoryScan.this);
                }
                busy = true;
                try {
                    List<DirEntry> got = FileOp.execute("DirectoryScan.hasNext()", op -> source.next(BATCH), false,
                            new FileOp.Outcomes<List<DirEntry>>() {
                                @Override
                                public void kept(List<DirEntry> entries) {
                                    batch = entries; // a cancelled step keeps the entries for the next one
                                    next = 0;
                                }
                            });
                    batch = got;
                    next = 0;
                } finally {
                    busy = false;
                }
                return next < batch.size();
            }

            @Override
            public DirEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(next++);
            }
        };
    }

    /**
     * Closes the directories still open; idempotent, shielded from cancellation. Suspends when
     * some are open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (source.isDone()) {
            return;
        }
        try (var _ = Asyncio.shieldedScope()) {
            FileOp.execute("DirectoryScan.close()", op -> {
                source.close();
                return null;
            });
        }
    }

    @Override
    public String toString() {
        return "<DirectoryScan" + (closed ? " closed" : source.isDone() ? " done" : "") + ">";
    }
}
