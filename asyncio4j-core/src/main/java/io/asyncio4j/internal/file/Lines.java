package io.asyncio4j.internal.file;

import io.asyncio4j.internal.Sneaky;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The async iterator over lines of an open file ({@code async for line in f}): each
 * {@code hasNext()} reads the next line ahead, which may suspend, and rethrows what the read
 * throws (undeclared); an empty line means the end.
 *
 * @param <L> the line type (bytes or text)
 */
public final class Lines<L> implements Iterator<L> {

    /**
     * Reads one line; an empty one at the end.
     *
     * @param <L> the line type
     */
    @FunctionalInterface
    public interface Reader<L> {
        /**
         * {@return the next line, empty at the end}
         *
         * @throws IOException if the read fails
         */
        L readLine() throws IOException;
    }

    private final Reader<L> reader;
    private final Predicate<L> isEnd;
    private L next;

    /**
     * Creates the iterator.
     *
     * @param reader reads a line
     * @param isEnd tells the empty line that ends the file
     */
    public Lines(Reader<L> reader, Predicate<L> isEnd) {
        this.reader = reader;
        this.isEnd = isEnd;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = reader.readLine();
            } catch (IOException e) {
                throw Sneaky.rethrow(e);
            }
        }
        return !isEnd.test(next);
    }

    @Override
    public L next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        L line = next;
        next = null;
        return line;
    }
}
