package io.asyncio4j.sql;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a {@link ResultSet} into a value: {@code rs -> new Item(rs.getInt(1),
 * rs.getString(2))}. It runs where the database's JDBC calls run (in the task, or on the
 * executor for embedded drivers), so it should only read the row.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface RowMapper<T> {

    /**
     * Maps the current row; must not move the result set.
     *
     * @param row the result set, on the row to map
     * @return the value
     * @throws SQLException what reading the row throws
     */
    T map(ResultSet row) throws SQLException;
}
