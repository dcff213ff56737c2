package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema comes up once however many instances start together, and what was committed stays. */
class MigrationAndDurabilityTest {

    @Test
    void storages_built_at_once_on_a_fresh_h2_database_migrate_it_once() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            buildConcurrently(h2);
        }
    }

    @Test
    void storages_built_at_once_on_a_fresh_postgres_database_migrate_it_once() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            buildConcurrently(postgres);
        }
    }

    @Test
    void what_was_committed_to_an_h2_file_is_there_after_the_database_is_reopened(@TempDir Path directory) {
        try (TestDatabase first = TestDatabases.h2File(directory)) {
            writeSomething(JdbiStorage.builder(first.dataSource()).build());
        }
        try (TestDatabase again = TestDatabases.h2File(directory)) {
            assertSomethingIsThere(JdbiStorage.builder(again.dataSource()).build());
        }
    }

    @Test
    void what_one_postgres_storage_committed_another_built_later_finds() {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            writeSomething(JdbiStorage.builder(postgres.dataSource()).build());
            assertSomethingIsThere(JdbiStorage.builder(postgres.dataSource()).build());
        }
    }

    /**
     * H2 2.4.240 evaluated the outbox's first check of its states through the session that created it:
     * once the connection that migrated had closed, every event, and so every Allocate, was refused
     * (CI runs this module's tests on each H2 version; see README.md).
     */
    @Test
    void an_h2_outbox_takes_events_once_the_connection_that_migrated_it_has_closed() {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            JdbiStorage storage = JdbiStorage.builder(h2.dataSource()).build();   // each connection a session

            writeSomething(storage);

            assertThat(Tables.integer(h2.dataSource(), "SELECT count(*) FROM outbox")).isEqualTo(1);
        }
    }

    @Test
    void without_migration_the_storage_leaves_the_schema_to_its_owner() {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            JdbiStorage storage = JdbiStorage.builder(h2.dataSource()).migrate(false).build();

            assertThatThrownBy(() -> {
                try (UnitOfWork uow = storage.start()) {
                    uow.products().get("ANY");
                }
            }).hasMessageContaining("PRODUCTS");
        }
    }

    private static void buildConcurrently(TestDatabase database) throws Exception {
        int instances = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<JdbiStorage>> builds = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            Supplier<JdbiStorage> build = () -> {
                await(start);
                return JdbiStorage.builder(database.dataSource()).build();
            };
            builds.add(CompletableFuture.supplyAsync(build));
        }
        start.countDown();
        List<JdbiStorage> storages = new ArrayList<>();
        for (CompletableFuture<JdbiStorage> build : builds) {
            storages.add(build.get(60, TimeUnit.SECONDS));
        }

        assertThat(Tables.integer(database.dataSource(), "SELECT count(*) FROM \"" + JdbiStorage.SCHEMA_HISTORY_TABLE
                + "\" WHERE \"version\" = '1'")).isEqualTo(1);
        writeSomething(storages.get(0));
        assertSomethingIsThere(storages.get(instances - 1));
    }

    private static void writeSomething(JdbiStorage storage) {
        try (UnitOfWork uow = storage.start()) {
            Product product = new Product("KEPT", new ArrayList<>(List.of(new Batch("kept-1", "KEPT", 10, null))));
            product.allocate(new OrderLine("o1", "KEPT", 4));
            uow.products().add(product);
            uow.commit();
        }
    }

    private static void assertSomethingIsThere(JdbiStorage storage) {
        try (UnitOfWork uow = storage.start()) {
            Batch batch = uow.products().get("KEPT").orElseThrow().batches().get(0);
            assertThat(batch.allocatedQuantity()).isEqualTo(4);
            assertThat(batch.allocations()).containsExactly(new OrderLine("o1", "KEPT", 4));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
