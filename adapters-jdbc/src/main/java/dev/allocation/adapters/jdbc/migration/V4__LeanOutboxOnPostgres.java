package dev.allocation.adapters.jdbc.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 4: on PostgreSQL, an outbox row that costs the fewest index writes on its way from recorded
 * to published, since every Allocate records one. Each change of a row that is not a heap-only update
 * writes an entry in every index, so the outbox keeps only the primary key and two partial indexes:
 * pending events ({@code outbox_pending}, migration 3) for claims, and dead ones for the figures and
 * the admin's calls. Published events are in neither. The uniqueness of event ids, random UUIDs, is
 * left unchecked, and pages keep room, so that a claim's mark is a heap-only update. H2 is unchanged.
 *
 * <p>Public only so that Flyway, scanning this package, can create it.
 */
public final class V4__LeanOutboxOnPostgres extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (Database.of(context) == Database.POSTGRESQL) {
            try (Statement statement = context.getConnection().createStatement()) {
                statement.execute("CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'D'");
                statement.execute("DROP INDEX outbox_by_state");
                statement.execute("ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_unique");
                statement.execute("ALTER TABLE outbox SET (fillfactor = 80)");
            }
        }
    }
}
