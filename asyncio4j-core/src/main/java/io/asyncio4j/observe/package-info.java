/**
 * Seeing inside a running program: snapshots of a loop's tasks with what each one waits on and
 * who awaits whom ({@link io.asyncio4j.observe.Observe}), asyncio 3.14's call graphs
 * ({@link io.asyncio4j.observe.CallGraph}), deterministic text formats for logs and tests, and
 * the JFR events of the loop.
 */
package io.asyncio4j.observe;
