/**
 * Benchmarks of the allocation service: Allocate throughput and latency, contention on one sku, growth
 * with the allocations a sku already holds, reallocation after a batch shrinks, the HTTP API, the
 * in-memory bus (JMH) and a 256 MB heap, on memory, H2 (in memory and file) and PostgreSQL, each beside
 * a raw-JDBC reference that runs the adapter's own SQL on the same database in the same run.
 *
 * <p>{@link dev.allocation.benchmarks.BenchmarkSuite} runs them all and writes {@code docs/benchmarks.md}
 * and {@code docs/allocate-growth.png}. Never deployed.
 */
package dev.allocation.benchmarks;
