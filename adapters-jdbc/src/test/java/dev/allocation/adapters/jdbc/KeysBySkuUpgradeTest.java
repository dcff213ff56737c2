package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of schema 6, holding what the release of that schema wrote, upgrades in place to migration
 * 7 (every key includes the sku, {@code batch_references}) and keeps every guarantee: its rows, the
 * references unique across skus, a batch found by its reference, the outbox's order per sku.
 */
class KeysBySkuUpgradeTest {

    /** The tables a database distributed by sku spreads; every unique key of theirs must hold the sku. */
    private static final List<String> BY_SKU = List.of("products", "batches", "allocations", "allocations_view",
            "outbox");

    @Test
    void an_h2_file_of_schema_6_upgrades_to_keys_by_sku_and_keeps_its_guarantees(@TempDir Path directory) {
        try (TestDatabase h2 = TestDatabases.h2File(directory)) {
            migrateToSchema6(h2.dataSource());
            writeAsRelease6Did(h2.dataSource());
        }
        try (TestDatabase h2 = TestDatabases.h2File(directory)) {
            assertUpgradedInPlace(h2.dataSource());
        }
    }

    @Test
    void a_postgres_database_of_schema_6_upgrades_to_keys_by_sku_and_keeps_its_guarantees() {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            migrateToSchema6(postgres.dataSource());
            writeAsRelease6Did(postgres.dataSource());

            assertUpgradedInPlace(postgres.dataSource());
        }
    }

    private static void assertUpgradedInPlace(DataSource dataSource) {
        JdbiStorage storage = JdbiStorage.builder(dataSource).build();

        assertThat(Tables.integer(dataSource, "SELECT count(*) FROM \"" + JdbiStorage.SCHEMA_HISTORY_TABLE
                + "\" WHERE \"version\" = '7' AND \"success\"")).isEqualTo(1);
        Map<String, List<String>> uniqueKeys = uniqueKeys(dataSource);
        BY_SKU.forEach(table -> assertThat(uniqueKeys.keySet()).as("unique keys of %s", table)
                .anyMatch(key -> key.startsWith(table + " ")));
        uniqueKeys.forEach((key, columns) -> {
            if (BY_SKU.contains(key.split(" ")[0])) {
                assertThat(columns).as("the unique key %s", key).contains("sku");
            }
        });
        for (String table : List.of("batches", "allocations", "outbox")) {
            assertThat(uniqueKeys).as("the primary key of %s", table).anySatisfy((key, columns) -> {
                assertThat(key).startsWith(table + " ");
                assertThat(columns).containsExactly("sku", "id");
            });
        }
        assertThat(Tables.integer(dataSource, "SELECT count(*) FROM batch_references r JOIN batches b "
                + "ON b.reference = r.reference AND b.sku = r.sku")).isEqualTo(3);

        try (UnitOfWork uow = storage.start()) {
            Product lamp = uow.products().getByBatchRef("lamp-2").orElseThrow();
            assertThat(lamp.sku()).isEqualTo("LAMP");
            assertThat(lamp.batch("lamp-1").orElseThrow().allocations()).containsExactly(new OrderLine("o1", "LAMP", 4));
            lamp.changeBatchQuantity("lamp-1", 5);
            lamp.allocate(new OrderLine("o3", "LAMP", 3));
            uow.commit();
        }
        assertThatThrownBy(() -> {
            try (UnitOfWork uow = storage.start()) {
                uow.products().get("LAMP").orElseThrow().addBatch(new Batch("desk-1", "LAMP", 1, null));
                uow.commit();
            }
        }).as("a reference another sku holds").isInstanceOf(ConcurrencyConflict.class);
        try (UnitOfWork uow = storage.start()) {
            Product lamp = uow.products().get("LAMP").orElseThrow();
            assertThat(lamp.batch("lamp-1").orElseThrow().allocations()).containsExactly(new OrderLine("o1", "LAMP", 4));
            assertThat(lamp.batch("lamp-2").orElseThrow().allocations()).containsExactly(new OrderLine("o3", "LAMP", 3));
            assertThat(uow.products().getByBatchRef("desk-1").orElseThrow().sku()).isEqualTo("DESK");
        }
        assertThat(storage.readModel().allocationsFor("o2")).hasSize(1);
        assertThat(storage.isHealthy()).isTrue();
        Instant now = Instant.now();
        assertThat(storage.outbox().claim(10, now, now.plusSeconds(10)))
                .as("the events recorded before the upgrade, then the one after")
                .extracting(event -> ((Allocated) event.event()).orderId()).containsExactly("o1", "o2", "o3");
    }

    private static void migrateToSchema6(DataSource dataSource) {
        Flyway.configure(JdbiStorage.class.getClassLoader())
                .dataSource(dataSource)
                .locations(JdbiStorage.MIGRATIONS_LOCATION)
                .table(JdbiStorage.SCHEMA_HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .target("6")
                .load()
                .migrate();
    }

    /** Two skus, three batches, two lines, the read model and the outbox, as release 6 wrote them. */
    private static void writeAsRelease6Did(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO products (sku, version) VALUES (?, ?)", "LAMP", 3);
            execute(connection, "INSERT INTO products (sku, version) VALUES (?, ?)", "DESK", 2);
            for (Object[] batch : List.of(new Object[] {"lamp-1", "LAMP", 10, 4}, new Object[] {"lamp-2", "LAMP", 10, 0},
                    new Object[] {"desk-1", "DESK", 5, 2})) {
                execute(connection, "INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta) "
                        + "VALUES (?, ?, ?, ?, NULL)", batch);
            }
            for (Allocated allocated : List.of(new Allocated("o1", "LAMP", 4, "lamp-1"),
                    new Allocated("o2", "DESK", 2, "desk-1"))) {
                execute(connection, "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)",
                        allocated.orderId(), allocated.sku(), allocated.qty(), allocated.batchRef());
                execute(connection, "INSERT INTO allocations_view (orderid, sku, batchref, version) VALUES (?, ?, ?, ?)",
                        allocated.orderId(), allocated.sku(), allocated.batchRef(), allocated.sku().equals("LAMP") ? 3 : 2);
                execute(connection, "INSERT INTO outbox (event_id, sku, type, payload, state, recorded_at, attempts, "
                                + "next_attempt_at) VALUES (?, ?, ?, ?, 'P', 0, 0, 0)", UUID.randomUUID().toString(),
                        allocated.sku(), EventText.type(allocated), EventText.payload(allocated));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Each unique index of the allocation tables, as "table index", with its columns in lower case. */
    private static Map<String, List<String>> uniqueKeys(DataSource dataSource) {
        Map<String, List<String>> keys = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            boolean upper = meta.storesUpperCaseIdentifiers();
            for (String table : BY_SKU) {
                try (ResultSet rs = meta.getIndexInfo(null, null, upper ? table.toUpperCase(Locale.ROOT) : table,
                        true, false)) {
                    while (rs.next()) {
                        if (rs.getString("COLUMN_NAME") != null && rs.getString("TABLE_SCHEM") != null
                                && isOurs(connection, rs.getString("TABLE_SCHEM"))) {
                            keys.computeIfAbsent(table + " " + rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT),
                                    k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    private static boolean isOurs(Connection connection, String schema) throws SQLException {
        return schema.equalsIgnoreCase(connection.getSchema());
    }
}
