package dev.allocation.adapters.jdbc.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 5: on H2, the outbox's check of its states in a form every H2 2.x evaluates. H2 2.4.240
 * turns {@code state IN ('P', 'S', 'D')} (and the same as a chain of {@code OR}s) into a sorted set
 * that compares through the session that created the constraint; once that session's connection has
 * closed, as when a pool retires the connection that migrated, every insert into the outbox fails
 * with "Check constraint invalid", and so does every Allocate. {@code = ANY (ARRAY[...])}, which is
 * how PostgreSQL itself stores such an {@code IN}, is evaluated row by row with the session at hand.
 * PostgreSQL is unchanged: its check is sound, and re-creating it would read the whole outbox under
 * an exclusive lock.
 *
 * <p>Public only so that Flyway, scanning this package, can create it.
 */
public final class V5__OutboxStateCheckOnEveryH2 extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (Database.of(context) == Database.H2) {
            try (Statement statement = context.getConnection().createStatement()) {
                // IF EXISTS: H2 commits each DDL statement, so a start that stopped between the two runs this again
                statement.execute("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_state_known");
                statement.execute("ALTER TABLE outbox ADD CONSTRAINT outbox_state_known"
                        + " CHECK (state = ANY (ARRAY['P', 'S', 'D']))");
            }
        }
    }
}
