package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * An application with its own Flyway, in its defaults (location {@code classpath:db/migration}, history
 * {@code flyway_schema_history}), and its own {@code V1__} there (a test resource), with this module on
 * its class path.
 */
class OwnFlywayOfAnApplicationTest {

    @Test
    void an_application_migrates_its_own_first_version_with_the_storage_on_its_class_path() {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            MigrateResult result = Flyway.configure().dataSource(h2.dataSource()).load().migrate();

            assertThat(result.migrations).extracting(migration -> migration.filepath)
                    .singleElement().asString().endsWith("V1__an_application_table.sql");
        }
    }

    @Test
    void the_application_and_the_storage_keep_their_migrations_in_their_own_histories() {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            DataSource dataSource = h2.dataSource();
            Flyway application = Flyway.configure().dataSource(dataSource).load();
            application.migrate();

            JdbiStorage storage = JdbiStorage.builder(dataSource).build();

            assertThat(scripts(dataSource, "flyway_schema_history")).containsExactly("V1__an_application_table.sql");
            assertThat(scripts(dataSource, JdbiStorage.SCHEMA_HISTORY_TABLE)).containsExactly(
                    "<< Flyway Baseline >>",   // version 0: the schema already held the application's table
                    "V1__products_batches_allocations_and_view.sql",
                    "V2__outbox.sql",
                    "dev.allocation.adapters.jdbc.migration.V3__PendingOutboxIndex",
                    "dev.allocation.adapters.jdbc.migration.V4__LeanOutboxOnPostgres",
                    "dev.allocation.adapters.jdbc.migration.V5__OutboxStateCheckOnEveryH2",
                    "V6__outbox_buckets.sql",
                    "dev.allocation.adapters.jdbc.migration.V7__KeysBySku",
                    "dev.allocation.adapters.jdbc.migration.V8__OutboxSkuSequence");
            assertThat(application.migrate().migrationsExecuted).as("the application's next start").isZero();
            assertThat(application.validateWithResult().validationSuccessful).isTrue();
            assertThat(storage.isHealthy()).isTrue();
        }
    }

    private static List<String> scripts(DataSource dataSource, String historyTable) {
        List<String> scripts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT \"script\" FROM \"" + historyTable
                     + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read " + historyTable, e);
        }
        return scripts;
    }
}
