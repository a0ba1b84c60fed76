/**
 * A live monitor page for a running program's event loops: {@link io.asyncio4j.http.monitor.Monitor}.
 */
package io.asyncio4j.http.monitor;
