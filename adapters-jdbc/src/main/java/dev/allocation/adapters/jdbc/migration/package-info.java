/**
 * The allocation schema's Flyway migrations: the SQL ones beside these classes (as resources), and
 * the ones in Java, which differ by database. This package is
 * {@link dev.allocation.adapters.jdbc.JdbiStorage#MIGRATIONS_LOCATION}, a location of its own that no
 * application's Flyway scans by default; the classes are public only so that Flyway can create them.
 */
package dev.allocation.adapters.jdbc.migration;
