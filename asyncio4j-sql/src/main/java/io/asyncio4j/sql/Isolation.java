package io.asyncio4j.sql;

import java.sql.Connection;

/**
 * A transaction isolation level (asyncpg's {@code transaction(isolation=...)}), mapped to JDBC's
 * {@code Connection.TRANSACTION_*} constants.
 */
public enum Isolation {
    /** {@code READ UNCOMMITTED} (PostgreSQL runs it as {@code READ COMMITTED}). */
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    /** {@code READ COMMITTED}, PostgreSQL's default. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** {@code REPEATABLE READ}. */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** {@code SERIALIZABLE}. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** {@return the level as a {@code java.sql.Connection.TRANSACTION_*} constant} */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
