package io.asyncio4j.file;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One entry of a directory listing or walk: Python's {@code os.DirEntry}, with its attributes
 * read when the entry was listed (without following a symbolic link, unless the walk follows
 * links).
 *
 * @param path the entry's path (the directory's path resolved with the entry's name)
 * @param attributes its attributes
 */
public record DirEntry(Path path, BasicFileAttributes attributes) {

    /**
     * Creates an entry.
     *
     * @param path the entry's path
     * @param attributes its attributes
     */
    public DirEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(attributes, "attributes");
    }

    /** {@return the entry's name: the last element of its path} */
    public String name() {
        Path n = path.getFileName();
        return n == null ? path.toString() : n.toString();
    }

    /** {@return whether the entry is a directory (a link to one is a link, unless links are followed)} */
    public boolean isDirectory() {
        return attributes.isDirectory();
    }

    /** {@return whether the entry is a regular file} */
    public boolean isFile() {
        return attributes.isRegularFile();
    }

    /** {@return whether the entry is a symbolic link} */
    public boolean isSymbolicLink() {
        return attributes.isSymbolicLink();
    }
}
