/**
 * Test support shared through this module's test-jar: fresh H2 and PostgreSQL databases
 * ({@link dev.allocation.adapters.jdbc.testing.TestDatabases}), and one PostgreSQL database for a test
 * class, emptied before each test ({@link dev.allocation.adapters.jdbc.testing.PostgresPerClass}).
 */
package dev.allocation.adapters.jdbc.testing;
