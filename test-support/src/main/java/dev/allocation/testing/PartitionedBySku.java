package dev.allocation.testing;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Gives a new PostgreSQL database the allocation schema with every table that holds a sku's rows
 * hash-partitioned by sku, as PostgreSQL's declarative partitioning does it: the step before a database
 * distributed by sku (Citus), under the same rule that every unique key holds the sku.
 *
 * <p>The schema comes from the storage's own migrations, run by building a {@code JdbiStorage} (so
 * {@code allocation-adapters-jdbc} must be on the class path); then each table is made again,
 * partitioned, from its own definition ({@code LIKE ... INCLUDING ALL}: columns, defaults, checks,
 * keys and indexes), and the foreign keys are put back. {@code batch_references} stays whole: it is
 * keyed by reference, and a distributed database keeps it as a reference table. PostgreSQL before 17
 * has no identity column on a partitioned table, so {@code id} takes its values from a sequence of its
 * own, as a Citus table's {@code bigserial} does.
 */
final class PartitionedBySku {

    /** The tables partitioned, parents before children (the foreign keys' order). */
    static final List<String> TABLES = List.of("products", "batches", "allocations", "allocations_view", "outbox");
    private static final List<String> WITH_ID = List.of("batches", "allocations", "outbox");

    private PartitionedBySku() {
    }

    /** Migrates the empty database behind {@code dataSource}, then partitions its tables into {@code partitions}. */
    static void apply(DataSource dataSource, int partitions) {
        migrate(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String table : TABLES) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new IllegalStateException("Only an empty database is partitioned here: " + table
                                + " holds rows");
                    }
                }
            }
            statement.execute("ALTER TABLE allocations DROP CONSTRAINT allocations_batch_fk");
            statement.execute("ALTER TABLE batches DROP CONSTRAINT batches_product_fk");
            for (String table : TABLES) {
                statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_whole");
                boolean withId = WITH_ID.contains(table);
                statement.execute("CREATE TABLE " + table + " (LIKE " + table + "_whole INCLUDING ALL"
                        + (withId ? " EXCLUDING IDENTITY" : "") + ") PARTITION BY HASH (sku)");
                if (withId) {
                    statement.execute("CREATE SEQUENCE " + table + "_ids AS BIGINT OWNED BY " + table + ".id");
                    statement.execute("ALTER TABLE " + table + " ALTER COLUMN id SET DEFAULT nextval('" + table
                            + "_ids')");
                }
                for (int i = 0; i < partitions; i++) {
                    statement.execute("CREATE TABLE " + table + "_p" + i + " PARTITION OF " + table
                            + " FOR VALUES WITH (MODULUS " + partitions + ", REMAINDER " + i + ")");
                }
                statement.execute("DROP TABLE " + table + "_whole");
            }
            statement.execute("ALTER TABLE batches ADD CONSTRAINT batches_product_fk FOREIGN KEY (sku) "
                    + "REFERENCES products (sku)");
            statement.execute("ALTER TABLE allocations ADD CONSTRAINT allocations_batch_fk FOREIGN KEY (batchref, sku) "
                    + "REFERENCES batches (reference, sku)");
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not partition the allocation tables by sku", e);
        }
    }

    /** Builds a {@code JdbiStorage} on the database, which migrates it, without depending on its module. */
    private static void migrate(DataSource dataSource) {
        try {
            Class<?> storage = Class.forName("dev.allocation.adapters.jdbc.JdbiStorage");
            Object builder = storage.getMethod("builder", DataSource.class).invoke(null, dataSource);
            builder.getClass().getMethod("build").invoke(builder);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("A database partitioned by sku needs allocation-adapters-jdbc on the "
                    + "class path, whose migrations give it the schema", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not migrate the database to partition it", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not migrate the database to partition it", e);
        }
    }
}
