package dev.allocation.adapters.jdbc.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 7: every primary and unique key includes the sku, so that the tables can be distributed by
 * it (PostgreSQL's hash partitioning, Citus), where a unique key must hold the distribution column.
 *
 * <ul>
 *   <li>A batch reference is unique across skus in a table of its own, {@code batch_references}
 *       (reference to sku), filled from the batches and written with each new batch. It also tells
 *       {@code ChangeBatchQuantity} which sku a reference belongs to. {@code batches} keeps
 *       {@code (reference, sku)} unique, which the allocations' foreign key uses.</li>
 *   <li>{@code batches}, {@code allocations} and {@code outbox} are keyed by {@code (sku, id)};
 *       {@code id} keeps the order in which rows were added. The outbox keeps an index of its own on
 *       {@code id}, which the relay marks its events by.</li>
 *   <li>{@code allocations_by_batch} leads with the sku, as every query of a batch's lines carries it.</li>
 * </ul>
 *
 * <p>Each statement can run again (H2 commits each DDL statement on its own, so a start that stopped
 * half way through runs them again); on PostgreSQL the migration is one transaction. It rebuilds the
 * three tables' primary keys under an exclusive lock, for as long as that takes.
 *
 * <p>Public only so that Flyway, scanning this package, can create it.
 */
public final class V7__KeysBySku extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS batch_references (
                        reference VARCHAR(255) NOT NULL,
                        sku       VARCHAR(255) NOT NULL,
                        CONSTRAINT batch_references_pk PRIMARY KEY (reference)
                    )""");
            statement.execute("INSERT INTO batch_references (reference, sku) SELECT b.reference, b.sku FROM batches b "
                    + "WHERE NOT EXISTS (SELECT 1 FROM batch_references r WHERE r.reference = b.reference)");
            statement.execute("ALTER TABLE batches DROP CONSTRAINT IF EXISTS batches_reference_unique");
            rekey(statement, "batches", "batches_pk");
            statement.execute("DROP INDEX IF EXISTS batches_by_sku");   // the new primary key serves
            rekey(statement, "allocations", "allocations_pk");
            statement.execute("DROP INDEX IF EXISTS allocations_by_batch");
            statement.execute("CREATE INDEX IF NOT EXISTS allocations_by_batch ON allocations (sku, batchref, id)");
            statement.execute("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_event_id_unique");   // H2 only
            rekey(statement, "outbox", "outbox_pk");
            statement.execute("CREATE INDEX IF NOT EXISTS outbox_by_id ON outbox (id)");
        }
    }

    private static void rekey(Statement statement, String table, String key) throws Exception {
        statement.execute("ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + key);
        statement.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + key + " PRIMARY KEY (sku, id)");
    }
}
