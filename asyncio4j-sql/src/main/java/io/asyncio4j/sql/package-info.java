/**
 * Databases from coroutines: JDBC on the event loop with asyncpg's semantics.
 *
 * <p>{@link io.asyncio4j.sql.Database} wraps any JDBC {@code DataSource} (HikariCP, a driver's
 * own): its {@link io.asyncio4j.sql.Queries queries} ({@code fetch}, {@code fetchRow},
 * {@code fetchVal}, {@code execute}, {@code executeMany}), {@link io.asyncio4j.sql.Cursor
 * cursors} for large results, {@link io.asyncio4j.sql.Transaction transactions} that roll back
 * unless committed, and {@link io.asyncio4j.sql.DbConnection connections} held for several calls.
 * A cancellation that reaches a task while its statement runs cancels the statement on the
 * server. Where the JDBC calls run is the {@link io.asyncio4j.sql.CallMode}.
 */
package io.asyncio4j.sql;
