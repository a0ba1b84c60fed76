/**
 * asyncio for Java: event loops, coroutines that are virtual threads scheduled by their loop,
 * tasks, futures, combinators and structured concurrency.
 *
 * <p>{@link io.asyncio4j.Asyncio} is the front door; the nouns are {@link io.asyncio4j.EventLoop},
 * {@link io.asyncio4j.Future}, {@link io.asyncio4j.Task}, {@link io.asyncio4j.TaskGroup},
 * {@link io.asyncio4j.Timeout}, {@link io.asyncio4j.CancelScope} and {@link io.asyncio4j.Outcome}.
 */
package io.asyncio4j;
