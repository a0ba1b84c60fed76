/**
 * The benchmark workloads of {@code shared/bench/WORKLOADS.md} ({@link io.asyncio4j.bench.Workloads})
 * and the JMH micro-benchmarks of the loop's hot paths ({@code jmh}).
 */
package io.asyncio4j.bench;
