package io.asyncio4j.file;

import io.asyncio4j.Asyncio;
import io.asyncio4j.internal.file.FileOp;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A directory that deletes itself and everything in it on {@link #close()}: aiofiles'
 * {@code tempfile.TemporaryDirectory}. Made by {@link AsyncFiles#temporaryDirectory()}; use it
 * with try-with-resources.
 *
 * {@snippet :
 * try (TemporaryDirectory tmp = AsyncFiles.temporaryDirectory()) {
 *     AsyncFiles.writeString(tmp.path().resolve("notes.txt"), "hello");
 * }                                     // the directory and its files are gone
 * }
 */
public final class TemporaryDirectory implements AutoCloseable {
    private final Path path;
    private boolean closed;

    TemporaryDirectory(Path path) {
        this.path = path;
    }

    /** {@return the directory's path} */
    public Path path() {
        return path;
    }

    /**
     * Deletes the directory and its contents (links are deleted, not followed); idempotent,
     * shielded from cancellation, so it runs to its end. Suspends.
     *
     * @throws IOException if something cannot be deleted (the rest is deleted nonetheless)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (var _ = Asyncio.shieldedScope()) {
            FileOp.execute("TemporaryDirectory.close()", op -> {
                io.asyncio4j.internal.file.FileCalls.removeTree(path);
                return null;
            });
        }
    }

    @Override
    public String toString() {
        return "<TemporaryDirectory " + path + (closed ? " deleted" : "") + ">";
    }
}
