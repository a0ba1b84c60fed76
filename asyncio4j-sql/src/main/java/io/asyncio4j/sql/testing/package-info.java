/**
 * Test support for database code: {@link io.asyncio4j.sql.testing.PostgresServer}, a throwaway
 * PostgreSQL server started from the machine's installation.
 */
package io.asyncio4j.sql.testing;
