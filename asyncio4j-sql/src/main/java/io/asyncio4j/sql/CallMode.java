package io.asyncio4j.sql;

/**
 * Where a {@link Database}'s JDBC calls run. See the README's "Databases" section.
 */
public enum CallMode {
    /**
     * Chosen per database: {@link #EXECUTOR} on the compatibility scheduler (where any blocking
     * call holds the loop) and for embedded drivers (H2 and HSQLDB in memory or in a file, Derby
     * embedded, SQLite, DuckDB: file I/O, native code or CPU work on the calling thread), else
     * {@link #IN_TASK}. The driver is recognised from the first connection's URL, which is
     * therefore opened on the executor.
     */
    AUTO,
    /**
     * In the calling task: a network driver's blocking socket reads park only the task (fast
     * scheduler). The cheapest path: no thread hand-off per call.
     */
    IN_TASK,
    /**
     * On an executor (the loop's default one unless {@link DatabaseOptions#withExecutor} names
     * another): the task waits at a suspension point while a thread runs the call, so the loop
     * stays responsive whatever the driver does on that thread.
     */
    EXECUTOR
}
