/**
 * asyncio's queues for the tasks of one event loop: {@link io.asyncio4j.queue.Queue},
 * {@link io.asyncio4j.queue.PriorityQueue}, {@link io.asyncio4j.queue.LifoQueue}.
 */
package io.asyncio4j.queue;
