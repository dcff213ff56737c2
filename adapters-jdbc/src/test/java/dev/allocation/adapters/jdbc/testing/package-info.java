/**
 * Test support shared through this module's test-jar: fresh H2 and PostgreSQL databases
 * ({@link dev.allocation.adapters.jdbc.testing.TestDatabases}).
 */
package dev.allocation.adapters.jdbc.testing;
