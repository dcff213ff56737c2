package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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

        /**
         * The outbox's check as migration 2 wrote it, created on a connection that then closes: H2 2.4.240
         * refuses every event from then on (migration 5 replaced that form); other versions take them.
         * Whichever H2 runs this, readiness says what an Allocate finds.
         */
        @Test
        void on_h2_readiness_says_whether_an_allocation_can_be_written_under_the_outbox_check_of_migration_2() {
            execute("ALTER TABLE outbox DROP CONSTRAINT outbox_state_known");
            execute("ALTER TABLE outbox ADD CONSTRAINT outbox_state_known CHECK (state IN ('P', 'S', 'D'))");

            boolean allocates;
            try (UnitOfWork uow = storage.start()) {
                Product product = new Product("SKU", new ArrayList<>(List.of(new Batch("b1", "SKU", 10, null))));
                product.allocate(new OrderLine("o1", "SKU", 1));
                uow.products().add(product);
                uow.commit();
                allocates = true;
            } catch (RuntimeException refused) {
                allocates = false;
            }

            assertThat(storage.isHealthy()).isEqualTo(allocates);
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
