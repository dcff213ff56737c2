package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Readiness means the schema can serve, not only that the database answers: each test damages a
 * database of its own, as an operator's mistake or a database defect would, and asks the storage.
 */
class StorageReadinessTest {

    abstract static class OnEachDatabase {

        private final Supplier<TestDatabase> databases;
        TestDatabase database;
        JdbiStorage storage;

        OnEachDatabase(Supplier<TestDatabase> databases) {
            this.databases = databases;
        }

        @BeforeEach
        void buildStorage() {
            database = databases.get();
            storage = JdbiStorage.builder(database.dataSource()).build();
        }

        @AfterEach
        void dropDatabase() {
            database.close();
        }

        @Test
        void a_schema_as_migrated_is_ready() {
            assertThat(storage.isHealthy()).isTrue();
        }

        @Test
        void a_schema_missing_a_table_is_not_ready() {
            execute("DROP TABLE allocations_view");

            assertThat(storage.isHealthy()).isFalse();
        }

        @Test
        void a_schema_without_the_row_that_relays_claim_under_is_not_ready() {
            execute("DELETE FROM outbox_claims");

            assertThat(storage.isHealthy()).isFalse();
        }

        void execute(String sql) {
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not run " + sql, e);
            }
        }
    }

    @Nested
    class OnH2 extends OnEachDatabase {

        OnH2() {
            super(TestDatabases::h2InMemory);
        }

        @Test
        void an_h2_schema_that_answers_reads_but_refuses_writes_is_not_ready() {
            execute("ALTER TABLE outbox ADD CONSTRAINT refuses_every_event CHECK (attempts < 0)");

            assertThat(storage.readModel().allocationsFor("any-order")).isEmpty();
            assertThat(storage.isHealthy()).isFalse();
        }

        @Test
        void checking_an_h2_schema_leaves_no_row_behind() {
            assertThat(storage.isHealthy()).isTrue();

            for (String table : new String[] {"products", "batches", "allocations", "allocations_view", "outbox"}) {
                assertThat(Tables.integer(database.dataSource(), "SELECT count(*) FROM " + table)).as(table).isZero();
            }
        }
    }

    @Nested
    class OnPostgres extends OnEachDatabase {

        OnPostgres() {
            super(TestDatabases::postgres);
        }
    }
}
