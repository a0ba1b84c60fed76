package io.asyncio4j.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child process's standard stream goes: asyncio's {@code PIPE}, {@code DEVNULL},
 * {@code STDOUT} and {@code None} (inherited), and files. A sealed type: switch over it.
 *
 * {@snippet :
 * SubprocessOptions.defaults()
 *         .withStdout(Redirect.PIPE)
 *         .withStderr(Redirect.STDOUT)               // 2>&1
 *         .withStdin(Redirect.readFrom(input));
 * }
 */
public sealed interface Redirect {

    /** A pipe to the parent: the stream becomes {@code stdin()}, {@code stdout()} or {@code stderr()}. */
    Redirect PIPE = new Pipe();
    /** {@code /dev/null}: no input, output discarded. */
    Redirect DEVNULL = new DevNull();
    /** The parent's own stream (asyncio's default, {@code None}). */
    Redirect INHERIT = new Inherit();
    /** For standard error only: the same place as standard output ({@code 2>&1}). */
    Redirect STDOUT = new Stdout();

    /**
     * {@return input read from a file} For standard input.
     *
     * @param file the file
     */
    static Redirect readFrom(Path file) {
        return new File(file, FileMode.READ);
    }

    /**
     * {@return output written to a file, created or truncated} For standard output or error.
     *
     * @param file the file
     */
    static Redirect writeTo(Path file) {
        return new File(file, FileMode.WRITE);
    }

    /**
     * {@return output appended to a file, created if missing} For standard output or error.
     *
     * @param file the file
     */
    static Redirect appendTo(Path file) {
        return new File(file, FileMode.APPEND);
    }

    /** A pipe to the parent. */
    record Pipe() implements Redirect {
    }

    /** {@code /dev/null}. */
    record DevNull() implements Redirect {
    }

    /** The parent's own stream. */
    record Inherit() implements Redirect {
    }

    /** Standard error into standard output. */
    record Stdout() implements Redirect {
    }

    /** How a file is opened for a stream. */
    enum FileMode {
        /** For reading (standard input). */
        READ,
        /** For writing, created or truncated. */
        WRITE,
        /** For appending, created if missing. */
        APPEND
    }

    /**
     * A file; it is opened by the parent before the child starts, so a missing file fails the
     * spawn with a {@link java.nio.file.NoSuchFileException} naming it.
     *
     * @param path the file
     * @param mode how it is opened
     */
    record File(Path path, FileMode mode) implements Redirect {
        /**
         * Checks the parts.
         *
         * @param path the file
         * @param mode how it is opened
         */
        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
        }
    }
}
