package io.asyncio4j.sql;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link Database} runs its calls: {@code DatabaseOptions.defaults().withCallMode(...)}.
 *
 * @param callMode where JDBC calls run ({@link CallMode#AUTO} by default)
 * @param executor the executor of {@link CallMode#EXECUTOR} calls, or {@code null} for the
 *     running loop's default executor
 * @param prefetch how many rows a {@link Cursor} reads at a time (its JDBC fetch size), 1000 by
 *     default
 */
public record DatabaseOptions(CallMode callMode, Executor executor, int prefetch) {
    /** The default prefetch of cursors. */
    public static final int DEFAULT_PREFETCH = 1000;

    /**
     * Checks the options.
     *
     * @throws NullPointerException if {@code callMode} is null
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     */
    public DatabaseOptions {
        Objects.requireNonNull(callMode, "callMode");
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
        }
    }

    /** {@return the defaults: {@link CallMode#AUTO}, the loop's executor, a prefetch of 1000} */
    public static DatabaseOptions defaults() {
        return new DatabaseOptions(CallMode.AUTO, null, DEFAULT_PREFETCH);
    }

    /**
     * Returns these options with another call mode.
     *
     * @param mode where JDBC calls run
     * @return the new options
     */
    public DatabaseOptions withCallMode(CallMode mode) {
        return new DatabaseOptions(mode, executor, prefetch);
    }

    /**
     * Returns these options with an executor of their own for {@link CallMode#EXECUTOR} calls (a
     * pool as large as the connection pool, say, so that no call waits for a thread).
     *
     * @param executor the executor, or {@code null} for the loop's default executor
     * @return the new options
     */
    public DatabaseOptions withExecutor(Executor executor) {
        return new DatabaseOptions(callMode, executor, prefetch);
    }

    /**
     * Returns these options with another cursor prefetch.
     *
     * @param rows rows per fetch, positive
     * @return the new options
     */
    public DatabaseOptions withPrefetch(int rows) {
        return new DatabaseOptions(callMode, executor, rows);
    }
}
