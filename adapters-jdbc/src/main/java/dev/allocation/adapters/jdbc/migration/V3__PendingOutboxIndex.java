package dev.allocation.adapters.jdbc.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 3, in Java because it differs by database: on PostgreSQL, an index of the pending outbox
 * events alone. Without it, the planner, whose statistics lag behind a queue's churn, can walk the
 * primary key through every published event kept for retention to find the few pending ones; a
 * partial index holds only pending events, so a claim reads what it takes. H2 has no partial index,
 * and no such planner: there it does nothing, and {@code outbox_by_state} serves.
 *
 * <p>Public only so that Flyway, scanning this package, can create it.
 */
public final class V3__PendingOutboxIndex extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (Database.of(context) == Database.POSTGRESQL) {
            try (Statement statement = context.getConnection().createStatement()) {
                statement.execute("CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'P'");
            }
        }
    }
}
