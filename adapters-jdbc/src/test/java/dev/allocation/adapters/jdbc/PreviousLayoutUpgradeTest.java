package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import dev.allocation.domain.events.Allocated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that the previous version migrated keeps its data and its history when this version, whose
 * migrations live elsewhere, builds storage on it. The previous version's SQL migrations are in the test
 * resources byte for byte (Flyway compares checksums), under {@code previous-layout/} so that no Flyway
 * scanning {@code db/migration} finds them; its Java migrations are registered as it registered them.
 */
class PreviousLayoutUpgradeTest {

    private static final String PREVIOUS_LOCATION = "classpath:previous-layout/db/migration/allocation";

    @Test
    void an_h2_file_the_previous_version_migrated_and_wrote_keeps_its_data_and_takes_the_new_migrations(
            @TempDir Path directory) {
        try (TestDatabase h2 = TestDatabases.h2File(directory)) {
            migrateAsThePreviousVersionDid(h2.dataSource());
        }
        // the previous version writes after a restart: on H2 2.4.240 its outbox took no event from any
        // other connection than the one that created it until the database was opened again
        try (TestDatabase h2 = TestDatabases.h2File(directory)) {
            allocateAsThePreviousVersionDid(h2.dataSource());
        }
        try (TestDatabase h2 = TestDatabases.h2File(directory)) {
            assertThisVersionTakesItOver(h2.dataSource());
        }
    }

    @Test
    void a_postgres_database_the_previous_version_migrated_and_wrote_keeps_its_data_and_takes_the_new_migrations() {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            migrateAsThePreviousVersionDid(postgres.dataSource());
            allocateAsThePreviousVersionDid(postgres.dataSource());

            assertThisVersionTakesItOver(postgres.dataSource());
        }
    }

    private static void assertThisVersionTakesItOver(DataSource dataSource) {
        List<String> previousHistory = history(dataSource);

        JdbiStorage storage = JdbiStorage.builder(dataSource).build();

        List<String> history = history(dataSource);
        assertThat(previousHistory).hasSize(4);
        assertThat(history).hasSize(8).startsWith(previousHistory.toArray(String[]::new));
        assertThat(history.get(4)).startsWith("5 OutboxStateCheckOnEveryH2 JDBC ").endsWith(" true");
        assertThat(history.get(5)).startsWith("6 outbox buckets SQL V6__outbox_buckets.sql ").endsWith(" true");
        assertThat(history.get(6)).startsWith("7 KeysBySku JDBC ").endsWith(" true");
        assertThat(history.get(7)).startsWith("8 OutboxSkuSequence JDBC ").endsWith(" true");
        assertThat(Flyway.configure(JdbiStorage.class.getClassLoader()).dataSource(dataSource)
                .locations(JdbiStorage.MIGRATIONS_LOCATION).table(JdbiStorage.SCHEMA_HISTORY_TABLE)
                .load().validateWithResult().validationSuccessful).as("the history validates").isTrue();
        allocate(storage, "o2");
        try (UnitOfWork uow = storage.start()) {
            assertThat(uow.products().get("KEPT").orElseThrow().batches().get(0).allocations())
                    .containsExactlyInAnyOrder(new OrderLine("o1", "KEPT", 4), new OrderLine("o2", "KEPT", 4));
        }
        assertThat(Tables.integer(dataSource, "SELECT count(*) FROM outbox WHERE state = 'P'")).isEqualTo(2);
        assertThat(storage.isHealthy()).isTrue();
        Instant now = Instant.now();
        assertThat(storage.outbox().claim(10, now, now.plusSeconds(10)))
                .as("the event recorded before the upgrade, then the one after, by this version's relay")
                .extracting(event -> ((Allocated) event.event()).orderId()).containsExactly("o1", "o2");
    }

    private static void migrateAsThePreviousVersionDid(DataSource dataSource) {
        Flyway.configure(PreviousLayoutUpgradeTest.class.getClassLoader())
                .dataSource(dataSource)
                .locations(PREVIOUS_LOCATION)
                .javaMigrations(new V3__PendingOutboxIndex(), new V4__LeanOutboxOnPostgres())
                .table(JdbiStorage.SCHEMA_HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /**
     * What the previous version's first Allocate of {@code o1} wrote, in its statements: the product and its
     * batch, the line, the read model, and the event in the outbox's form before versions.
     */
    private static void allocateAsThePreviousVersionDid(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.executeUpdate("INSERT INTO products (sku, version) VALUES ('KEPT', 2)");
            statement.executeUpdate("INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta) "
                    + "VALUES ('kept-1', 'KEPT', 10, 4, NULL)");
            statement.executeUpdate("INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o1', 'KEPT', 4, 'kept-1')");
            statement.executeUpdate("INSERT INTO allocations_view (orderid, sku, batchref, version) "
                    + "VALUES ('o1', 'KEPT', 'kept-1', 2)");
            statement.executeUpdate("INSERT INTO outbox (event_id, sku, type, payload, state, recorded_at, attempts, "
                    + "next_attempt_at) VALUES ('" + UUID.randomUUID() + "', 'KEPT', 'Allocated', "
                    + "'orderId=o1&sku=KEPT&qty=4&batchRef=kept-1', 'P', 0, 0, 0)");
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write as the previous version did", e);
        }
    }

    private static void allocate(JdbiStorage storage, String orderId) {
        try (UnitOfWork uow = storage.start()) {
            Product product = uow.products().get("KEPT").orElse(null);
            if (product == null) {
                product = new Product("KEPT", new ArrayList<>(List.of(new Batch("kept-1", "KEPT", 10, null))));
                uow.products().add(product);
            }
            product.allocate(new OrderLine(orderId, "KEPT", 4));
            uow.commit();
        }
    }

    /** Each versioned migration recorded: version, description, type, script, checksum and success. */
    private static List<String> history(DataSource dataSource) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT \"version\", \"description\", \"type\", \"script\","
                     + " \"checksum\", \"success\" FROM \"" + JdbiStorage.SCHEMA_HISTORY_TABLE
                     + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4)
                        + " " + rs.getString(5) + " " + rs.getBoolean(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the schema history", e);
        }
        return rows;
    }
}
