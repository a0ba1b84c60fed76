package io.asyncio4j.sql.internal;

import java.util.Locale;

/**
 * Tells, from a JDBC URL, whether the driver runs the database inside the JVM (embedded). An
 * embedded database does its work on the calling thread: file I/O (which pins a virtual thread to
 * its carrier: with the fast scheduler that carrier is the loop thread), native code (SQLite,
 * DuckDB: a native frame pins too), or plain CPU work; any of it holds the loop. Network drivers
 * (PostgreSQL, MySQL, MariaDB, SQL Server, Oracle thin, and the client modes of H2, Derby and
 * HSQLDB) block in socket reads, which park only the task.
 */
public final class EmbeddedDrivers {
    private EmbeddedDrivers() {
    }

    /**
     * Tells whether a JDBC URL names an embedded database.
     *
     * @param url the URL, as {@code DatabaseMetaData.getURL()} gives it; {@code null} counts as
     *     not embedded
     * @return whether the driver runs the database in this JVM
     */
    public static boolean isEmbedded(String url) {
        if (url == null) {
            return false;
        }
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) {
            String rest = u.substring("jdbc:h2:".length());
            return !(rest.startsWith("tcp:") || rest.startsWith("ssl:"));
        }
        if (u.startsWith("jdbc:derby:")) {
            return !u.startsWith("jdbc:derby://");
        }
        if (u.startsWith("jdbc:hsqldb:")) {
            String rest = u.substring("jdbc:hsqldb:".length());
            return rest.startsWith("mem:") || rest.startsWith("file:") || rest.startsWith("res:");
        }
        return u.startsWith("jdbc:sqlite:") || u.startsWith("jdbc:duckdb:");
    }
}
