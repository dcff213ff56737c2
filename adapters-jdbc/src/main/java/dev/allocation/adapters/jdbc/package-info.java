/**
 * Durable storage with JDBI on H2 or PostgreSQL: {@link dev.allocation.adapters.jdbc.JdbiStorage} is
 * the one entry point (units of work, read model, schema migrations); everything else is internal.
 */
package dev.allocation.adapters.jdbc;
