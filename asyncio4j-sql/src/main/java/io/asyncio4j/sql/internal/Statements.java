package io.asyncio4j.sql.internal;

import io.asyncio4j.sql.RowMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC work of each query method, as one call: prepare, bind, execute, read, close. It runs
 * in the task or on an executor ({@link Calls}), so it touches nothing of the loop.
 */
public final class Statements {
    private Statements() {
    }

    /**
     * Binds positional arguments ({@code ?} placeholders, from 1) with {@code setObject}.
     *
     * @param ps the statement
     * @param args the arguments
     * @throws SQLException if the driver refuses one
     */
    public static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * Runs a query and maps its rows, at most {@code limit} of them.
     *
     * @param <T> the row type
     * @param c the connection
     * @param abort the call's abort, armed with the statement
     * @param sql the query
     * @param mapper maps each row
     * @param limit the most rows to read (the rest are discarded with the statement)
     * @param args the arguments
     * @return the rows
     * @throws SQLException what the driver throws
     */
    public static <T> List<T> fetch(Connection c, StatementAbort abort, String sql, RowMapper<T> mapper,
                                    int limit, Object[] args) throws SQLException {
        abort.checkNotAborted();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (limit == 1) {
                ps.setMaxRows(1);
            }
            bind(ps, args);
            abort.arm(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rows.size() < limit && rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    /**
     * Runs a statement and returns its update count (0 for a statement that returns rows or no
     * count).
     *
     * @param c the connection
     * @param abort the call's abort
     * @param sql the statement
     * @param args the arguments
     * @return the update count
     * @throws SQLException what the driver throws
     */
    public static long execute(Connection c, StatementAbort abort, String sql, Object[] args) throws SQLException {
        abort.checkNotAborted();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            abort.arm(c, ps);
            if (ps.execute()) {
                return 0;
            }
            return Math.max(0, ps.getUpdateCount());
        }
    }

    /**
     * Runs a statement once per argument list, as one JDBC batch.
     *
     * @param c the connection
     * @param abort the call's abort
     * @param sql the statement
     * @param argsList an argument list per execution
     * @return the update count of each execution
     * @throws SQLException what the driver throws
     */
    public static long[] executeMany(Connection c, StatementAbort abort, String sql, List<? extends List<?>> argsList)
            throws SQLException {
        abort.checkNotAborted();
        if (argsList.isEmpty()) {
            return new long[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (List<?> args : argsList) {
                bind(ps, args.toArray());
                ps.addBatch();
            }
            abort.arm(c, ps);
            int[] counts = ps.executeBatch();
            long[] out = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                out[i] = counts[i];
            }
            return out;
        }
    }

    /**
     * Reads the next rows of an open result, at most {@code max}.
     *
     * @param <T> the row type
     * @param rs the result
     * @param mapper maps each row
     * @param max the most rows to read
     * @param into where the rows go
     * @return whether the result has no more rows
     * @throws SQLException what the driver throws
     */
    public static <T> boolean fetchBatch(ResultSet rs, RowMapper<T> mapper, int max, List<T> into) throws SQLException {
        for (int i = 0; i < max; i++) {
            if (!rs.next()) {
                return true;
            }
            into.add(mapper.map(rs));
        }
        return false;
    }
}
