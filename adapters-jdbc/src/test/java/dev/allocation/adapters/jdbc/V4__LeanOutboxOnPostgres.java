package dev.allocation.adapters.jdbc;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 4 under the name the previous version registered it by (this package), for
 * {@link PreviousLayoutUpgradeTest}: Flyway records a Java migration's class name with it.
 */
final class V4__LeanOutboxOnPostgres extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        new dev.allocation.adapters.jdbc.migration.V4__LeanOutboxOnPostgres().migrate(context);
    }
}
