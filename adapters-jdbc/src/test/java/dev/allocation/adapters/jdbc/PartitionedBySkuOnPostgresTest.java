package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.contracts.OutboxContract;
import dev.allocation.contracts.StorageContract;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.PostgresPerClass;
import dev.allocation.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema on a PostgreSQL database whose tables are hash-partitioned by sku
 * ({@link TestDatabases#postgresPartitionedBySku()}): the storage and outbox contracts pass on it, and a
 * command reads and writes its own sku's partition alone.
 */
class PartitionedBySkuOnPostgresTest {

    @RegisterExtension
    static final PostgresPerClass postgres = PostgresPerClass.partitionedBySku();

    private static final Pattern PARTITION = Pattern.compile("\\b(products|batches|allocations|allocations_view|outbox)_p\\d+\\b");

    private static Storage storage(Locking locking) {
        return JdbiStorage.builder(postgres.database().dataSource()).locking(locking).build();
    }

    @Test
    void every_table_of_a_skus_rows_is_partitioned_by_sku() {
        assertThat(rows(postgres.database().dataSource(), """
                SELECT c.relname || ' ' || count(i.inhrelid) FROM pg_partitioned_table p
                JOIN pg_class c ON c.oid = p.partrelid LEFT JOIN pg_inherits i ON i.inhparent = c.oid
                GROUP BY c.relname ORDER BY c.relname""")).containsExactly(
                "allocations " + TestDatabases.PARTITIONS, "allocations_view " + TestDatabases.PARTITIONS,
                "batches " + TestDatabases.PARTITIONS, "outbox " + TestDatabases.PARTITIONS,
                "products " + TestDatabases.PARTITIONS);
    }

    @Test
    void an_allocate_writes_its_own_skus_partition_alone_and_its_reads_are_pruned_to_it() {
        Storage storage = storage(Locking.OPTIMISTIC);
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(new Product("LAMP", new ArrayList<>(List.of(new Batch("lamp-1", "LAMP", 100, null)))));
            uow.products().add(new Product("DESK", new ArrayList<>(List.of(new Batch("desk-1", "DESK", 100, null)))));
            uow.commit();
        }
        for (int i = 0; i < 5; i++) {
            try (UnitOfWork uow = storage.start()) {
                uow.products().get("LAMP").orElseThrow().allocate(new OrderLine("o" + i, "LAMP", 1));
                uow.commit();
            }
        }
        DataSource dataSource = postgres.database().dataSource();

        for (String table : List.of("products", "batches", "allocations", "allocations_view", "outbox")) {
            assertThat(rows(dataSource, "SELECT DISTINCT tableoid::regclass::text FROM " + table + " WHERE sku = 'LAMP'"))
                    .as("the partitions of %s holding LAMP's rows", table).hasSize(1);
        }
        for (String query : List.of(
                "SELECT p.sku, p.version, b.reference FROM products p LEFT JOIN batches b ON b.sku = p.sku "
                        + "WHERE p.sku = 'LAMP' ORDER BY b.id",
                "SELECT batchref, qty FROM allocations WHERE orderid = 'o1' AND sku = 'LAMP'",
                "SELECT orderid, qty FROM allocations WHERE sku = 'LAMP' AND batchref = 'lamp-1' ORDER BY id",
                "UPDATE products SET version = 9 WHERE sku = 'LAMP' AND version = 8",
                "UPDATE batches SET purchased_quantity = 1, allocated_quantity = 1 WHERE sku = 'LAMP' AND reference = 'lamp-1'",
                "DELETE FROM allocations WHERE orderid = 'o1' AND sku = 'LAMP' AND batchref = 'lamp-1'")) {
            assertThat(partitionsIn(dataSource, query)).as("the partitions the plan of %s reads", query)
                    .hasSizeBetween(1, 2).allMatch(partition -> partition.endsWith(suffixOf(dataSource, partition)));
        }
    }

    /** The partition suffix LAMP falls into, for the table {@code partition} belongs to. */
    private static String suffixOf(DataSource dataSource, String partition) {
        String table = partition.substring(0, partition.lastIndexOf("_p"));
        return rows(dataSource, "SELECT tableoid::regclass::text FROM " + table + " WHERE sku = 'LAMP' LIMIT 1").stream()
                .findFirst().map(name -> name.substring(name.lastIndexOf("_p"))).orElse("none");
    }

    /** The partitions the plan of {@code query} touches, by name. */
    private static List<String> partitionsIn(DataSource dataSource, String query) {
        String plan = String.join("\n", rows(dataSource, "EXPLAIN " + query));
        Matcher matcher = PARTITION.matcher(plan);
        List<String> partitions = new ArrayList<>();
        while (matcher.find()) {
            if (!partitions.contains(matcher.group())) {
                partitions.add(matcher.group());
            }
        }
        assertThat(partitions).as("the plan of %s names a partition:%n%s", query, plan).isNotEmpty();
        assertThat(partitions.stream().map(p -> p.substring(0, p.lastIndexOf("_p"))).collect(Collectors.toList()))
                .as("one partition a table in the plan of %s:%n%s", query, plan).doesNotHaveDuplicates();
        return partitions;
    }

    private static List<String> rows(DataSource dataSource, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return rows;
    }

    @Nested
    class StorageWithOptimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return storage(Locking.OPTIMISTIC);
        }
    }

    @Nested
    class StorageWithPessimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return storage(Locking.PESSIMISTIC);
        }

        @Override
        protected boolean oneThreadCanHoldTwoUnitsReadingOneProduct() {
            return false;
        }
    }

    /** With the check of each sku's order that a database drawing ids on several nodes needs. */
    @Nested
    class Outbox extends OutboxContract {

        @Override
        protected Storage newStorage() {
            return JdbiStorage.builder(postgres.database().dataSource()).distributed(true).build();
        }
    }
}
