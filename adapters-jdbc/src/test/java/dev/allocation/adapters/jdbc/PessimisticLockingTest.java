package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** With pessimistic locking, a second writer of a sku waits for the first and then sees its changes. */
class PessimisticLockingTest {

    @Test
    void on_h2_a_second_writer_waits_for_the_first_and_then_builds_on_what_it_committed() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            aSecondWriterWaitsForTheFirstAndThenBuildsOnWhatItCommitted(h2);
        }
    }

    @Test
    void on_postgres_a_second_writer_waits_for_the_first_and_then_builds_on_what_it_committed() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            aSecondWriterWaitsForTheFirstAndThenBuildsOnWhatItCommitted(postgres);
        }
    }

    private static void aSecondWriterWaitsForTheFirstAndThenBuildsOnWhatItCommitted(TestDatabase database)
            throws Exception {
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).locking(Locking.PESSIMISTIC).build();
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(new Product("LOCKED", new ArrayList<>(List.of(new Batch("locked-1", "LOCKED", 10, null)))));
            uow.commit();
        }
        AtomicBoolean firstCommitted = new AtomicBoolean();
        CountDownLatch firstLoaded = new CountDownLatch(1);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try (UnitOfWork uow = storage.start()) {
                Product product = uow.products().get("LOCKED").orElseThrow();
                firstLoaded.countDown();
                sleep(300);
                product.allocate(new OrderLine("first", "LOCKED", 6));
                firstCommitted.set(true);
                uow.commit();
            }
        });
        assertThat(firstLoaded.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<String>> second = CompletableFuture.supplyAsync(() -> {
            try (UnitOfWork uow = storage.start()) {
                Product product = uow.products().get("LOCKED").orElseThrow();
                assertThat(firstCommitted).as("loaded only once the first writer committed").isTrue();
                assertThat(product.versionNumber()).isEqualTo(1);
                Optional<String> batch = product.allocate(new OrderLine("second", "LOCKED", 6));
                uow.commit();
                return batch;
            }
        });

        first.get(20, TimeUnit.SECONDS);
        assertThat(second.get(20, TimeUnit.SECONDS)).as("out of stock: the first took 6 of 10").isEmpty();
        try (UnitOfWork uow = storage.start()) {
            assertThat(uow.products().get("LOCKED").orElseThrow().batches().get(0).allocations())
                    .containsExactly(new OrderLine("first", "LOCKED", 6));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
