/**
 * Implementation of asyncio4j; not exported. See {@code docs/internals.md} for threads, state and
 * the order of events in one loop iteration.
 */
package io.asyncio4j.internal;
