package io.asyncio4j.sql;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a query's result, read into memory: asyncpg's {@code Record}. Values are what the
 * driver's {@code getObject} returns; columns are found by position (from 0) or by label, exactly
 * or, failing that, ignoring case (PostgreSQL folds unquoted names to lower case, H2 to upper
 * case). Immutable.
 *
 * {@snippet :
 * Row r = db.fetchRow("SELECT id, payload FROM items WHERE id = ?", 42).orElseThrow();
 * int id = r.get("id", Integer.class);
 * String payload = r.getString("payload");
 * }
 */
public final class Row {
    /** The columns of one result, shared by its rows. */
    private static final class Shape {
        final List<String> labels;
        final Map<String, Integer> exact = new HashMap<>();
        final Map<String, Integer> folded = new HashMap<>();

        Shape(ResultSetMetaData md) throws SQLException {
            String[] l = new String[md.getColumnCount()];
            for (int i = 0; i < l.length; i++) {
                l[i] = md.getColumnLabel(i + 1);
                exact.putIfAbsent(l[i], i);
                folded.putIfAbsent(l[i].toLowerCase(Locale.ROOT), i);
            }
            labels = List.of(l);
        }

        int indexOf(String column) {
            Integer i = exact.get(column);
            if (i == null) {
                i = folded.get(column.toLowerCase(Locale.ROOT));
            }
            if (i == null) {
                throw new IllegalArgumentException("no column " + column + " in " + labels);
            }
            return i;
        }
    }

    private final Shape shape;
    private final Object[] values;

    private Row(Shape shape, Object[] values) {
        this.shape = shape;
        this.values = values;
    }

    /**
     * Returns a mapper that reads each row into a {@code Row}; it learns the columns once per
     * result set. Never suspends.
     *
     * @return a new mapper
     */
    public static RowMapper<Row> mapper() {
        return new RowMapper<>() {
            private ResultSet last;
            private Shape shape;

            @Override
            public Row map(ResultSet rs) throws SQLException {
                if (rs != last) {
                    shape = new Shape(rs.getMetaData());
                    last = rs;
                }
                Object[] v = new Object[shape.labels.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getObject(i + 1);
                }
                return new Row(shape, v);
            }
        };
    }

    /** {@return the number of columns} */
    public int size() {
        return values.length;
    }

    /** {@return the column labels, in order} */
    public List<String> columns() {
        return shape.labels;
    }

    /**
     * Returns a column's value by position.
     *
     * @param index the position, from 0
     * @return the value, or {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public Object get(int index) {
        Objects.checkIndex(index, values.length);
        return values[index];
    }

    /**
     * Returns a column's value by label.
     *
     * @param column the label
     * @return the value, or {@code null} for SQL NULL
     * @throws IllegalArgumentException if there is no such column
     */
    public Object get(String column) {
        return values[shape.indexOf(column)];
    }

    /**
     * Returns a column's value by position, as a type.
     *
     * @param <T> the type
     * @param index the position, from 0
     * @param type the type the value has (the driver's {@code getObject} type: {@code Integer}
     *     for {@code int4}, {@code Long} for {@code int8}, {@code String} for text...)
     * @return the value, or {@code null} for SQL NULL
     * @throws ClassCastException if the value has another type, with both named
     */
    public <T> T get(int index, Class<T> type) {
        return cast(get(index), type, shape.labels.get(index));
    }

    /**
     * Returns a column's value by label, as a type.
     *
     * @param <T> the type
     * @param column the label
     * @param type the type the value has
     * @return the value, or {@code null} for SQL NULL
     * @throws ClassCastException if the value has another type, with both named
     */
    public <T> T get(String column, Class<T> type) {
        return cast(get(column), type, column);
    }

    /**
     * Returns a column's value as a string ({@code toString()} of what the driver returned).
     *
     * @param column the label
     * @return the string, or {@code null} for SQL NULL
     */
    public String getString(String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    private static <T> T cast(Object v, Class<T> type, String column) {
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        throw new ClassCastException("column " + column + " is a " + v.getClass().getName() + ", not a "
                + type.getName());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.shape.labels.equals(shape.labels) && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return shape.labels.hashCode() * 31 + Arrays.hashCode(values);
    }

    /** {@return the row as asyncpg prints a record: {@code <Row id=1 payload='x'>}} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Row");
        for (int i = 0; i < values.length; i++) {
            sb.append(' ').append(shape.labels.get(i)).append('=');
            Object v = values[i];
            if (v instanceof String s) {
                sb.append('\'').append(s).append('\'');
            } else {
                sb.append(v);
            }
        }
        return sb.append('>').toString();
    }
}
