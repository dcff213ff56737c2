/**
 * Benchmarks of the allocation service on memory, H2 (in memory and in files) and PostgreSQL, each
 * JDBC store beside a raw-SQL twin of the adapter on the same database in the same run.
 * {@link dev.allocation.benchmarks.BenchmarkSuite} runs them. Never deployed.
 */
package dev.allocation.benchmarks;
