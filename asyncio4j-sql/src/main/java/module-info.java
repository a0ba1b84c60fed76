/**
 * asyncio4j sql: databases from coroutines. Any JDBC driver on the event loop, with asyncpg's
 * cancellation semantics: {@link io.asyncio4j.sql.Database} is the front door (queries,
 * connections, transactions, cursors); {@link io.asyncio4j.sql.testing} starts a throwaway
 * PostgreSQL server for tests.
 */
module io.asyncio4j.sql {
    requires transitive io.asyncio4j;
    requires transitive java.sql;

    exports io.asyncio4j.sql;
    exports io.asyncio4j.sql.testing;
}
