/** JMH micro-benchmarks of the loop's hot paths, through the public API. */
package io.asyncio4j.bench.jmh;
