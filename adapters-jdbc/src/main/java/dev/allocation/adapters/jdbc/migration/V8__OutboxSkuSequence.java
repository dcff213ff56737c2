package dev.allocation.adapters.jdbc.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 8: each outbox event carries its place in its sku's order, {@code sku_sequence}: the version
 * of its product when the unit of work that recorded it committed. Every {@code Allocated} bumps the
 * version, and the version check lets one unit of a sku commit at a time, so the sequence grows with
 * the commits of a sku; the events of one unit share it, and {@code id} orders them. A sku's order is
 * then {@code (sku_sequence, id)}, whichever node of a distributed database drew the {@code id}.
 *
 * <ul>
 *   <li>Events recorded before are given their product's version now: they keep their {@code id}
 *       order among themselves, and come before every event recorded after.</li>
 *   <li>On PostgreSQL a trigger gives the same to an event inserted without it, by a release of
 *       schema 7 still running during a rolling upgrade.</li>
 *   <li>An index serves a sku's pending events in that order (on PostgreSQL, of the pending ones alone).</li>
 * </ul>
 *
 * <p>Public only so that Flyway, scanning this package, can create it.
 */
public final class V8__OutboxSkuSequence extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = Database.of(context) == Database.POSTGRESQL;
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS sku_sequence BIGINT");
            statement.execute("UPDATE outbox SET sku_sequence = COALESCE((SELECT p.version FROM products p "
                    + "WHERE p.sku = outbox.sku), 0) WHERE sku_sequence IS NULL");
            statement.execute("ALTER TABLE outbox ALTER COLUMN sku_sequence SET NOT NULL");
            if (postgres) {
                statement.execute("""
                        CREATE OR REPLACE FUNCTION outbox_sku_sequence() RETURNS trigger AS $$
                        BEGIN
                            NEW.sku_sequence := COALESCE((SELECT version FROM products WHERE sku = NEW.sku), 0);
                            RETURN NEW;
                        END
                        $$ LANGUAGE plpgsql""");
                statement.execute("CREATE TRIGGER outbox_sku_sequence BEFORE INSERT ON outbox FOR EACH ROW "
                        + "WHEN (NEW.sku_sequence IS NULL) EXECUTE FUNCTION outbox_sku_sequence()");
                statement.execute("CREATE INDEX outbox_pending_by_sku ON outbox (sku, sku_sequence, id) WHERE state = 'P'");
            } else {
                // one process alone opens an H2 database: no release of schema 7 writes beside this one
                statement.execute("ALTER TABLE outbox ALTER COLUMN sku_sequence SET DEFAULT 0");
                statement.execute("CREATE INDEX IF NOT EXISTS outbox_by_sku ON outbox (sku, sku_sequence, id)");
            }
        }
    }
}
