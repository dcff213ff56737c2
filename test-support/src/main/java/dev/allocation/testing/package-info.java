/**
 * Test support for storage adapters and embedders' tests: fresh H2 and PostgreSQL databases
 * ({@link dev.allocation.testing.TestDatabases}), one PostgreSQL database for a test class, emptied
 * before each test ({@link dev.allocation.testing.PostgresPerClass}), the local Redis server with a
 * client of the test's own ({@link dev.allocation.testing.LocalRedis}), a database of it for each test
 * ({@link dev.allocation.testing.RedisPerTest}), and a client of the HTTP API
 * ({@link dev.allocation.testing.ApiClient}).
 */
package dev.allocation.testing;
