/**
 * Runnable example programs for asyncio4j; {@link io.asyncio4j.examples.Tour} runs the asyncio
 * tour, and {@code ./asyncio4j tour} launches it.
 */
package io.asyncio4j.examples;
