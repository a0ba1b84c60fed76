/**
 * The implementation of asyncio4j sql: where JDBC calls run ({@code Calls}), how a cancellation
 * reaches them ({@code StatementAbort}, {@code InterruptAbort}), the JDBC work of each query
 * ({@code Statements}), and which drivers are embedded ({@code EmbeddedDrivers}). Not exported.
 */
package io.asyncio4j.sql.internal;
