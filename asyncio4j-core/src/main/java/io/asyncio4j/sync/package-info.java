/**
 * asyncio's synchronisation primitives for the tasks of one event loop: locks, events,
 * conditions, semaphores and barriers. Each is usable with try-with-resources where asyncio uses
 * {@code async with}; waiters are served in FIFO order; none is thread-safe.
 */
package io.asyncio4j.sync;
