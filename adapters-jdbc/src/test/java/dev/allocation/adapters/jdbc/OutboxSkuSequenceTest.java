package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sku's events go out in the order of its commits, {@code (sku_sequence, id)}, even where the {@code id}s
 * disagree with it, as those drawn on several nodes of a distributed database can (migration 8,
 * {@link JdbiStorage.Builder#distributed}): here rows inserted with ids out of their sku's order stand for them.
 */
class OutboxSkuSequenceTest {

    private static TestDatabase database(String kind) {
        return kind.equals("H2") ? TestDatabases.h2InMemory() : TestDatabases.postgres();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void each_event_is_recorded_with_the_version_its_product_commits_at(String kind) {
        try (TestDatabase database = database(kind)) {
            JdbiStorage storage = JdbiStorage.builder(database.dataSource()).build();
            try (UnitOfWork uow = storage.start()) {
                Product product = new Product("LAMP", new ArrayList<>(List.of(new Batch("lamp-1", "LAMP", 10, null))));
                product.allocate(new OrderLine("o1", "LAMP", 1));
                product.allocate(new OrderLine("o2", "LAMP", 1));
                uow.products().add(product);
                uow.commit();
            }
            try (UnitOfWork uow = storage.start()) {
                uow.products().get("LAMP").orElseThrow().allocate(new OrderLine("o3", "LAMP", 1));
                uow.commit();
            }

            assertThat(Tables.integer(database.dataSource(), "SELECT version FROM products WHERE sku = 'LAMP'")).isEqualTo(3);
            assertThat(Tables.integer(database.dataSource(), "SELECT count(*) FROM outbox WHERE sku_sequence = 2"))
                    .as("the two events of the first unit, at the version it committed").isEqualTo(2);
            assertThat(Tables.integer(database.dataSource(), "SELECT count(*) FROM outbox WHERE sku_sequence = 3"))
                    .as("the event of the second").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void on_a_distributed_database_a_skus_events_whose_ids_disagree_with_its_commits_are_claimed_in_their_order(
            String kind) {
        try (TestDatabase database = database(kind)) {
            JdbiStorage storage = JdbiStorage.builder(database.dataSource()).distributed(true).build();
            long now = Instant.now().toEpochMilli();
            insert(database.dataSource(), "late", "LAMP", 6, now);    // drawn first: the lower id
            insert(database.dataSource(), "other", "DESK", 1, now);
            insert(database.dataSource(), "early", "LAMP", 5, now);   // committed first

            assertThat(orderIds(storage)).containsExactly("early", "other", "late");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void on_a_distributed_database_a_skus_later_event_waits_while_its_earlier_one_cannot_be_claimed(String kind) {
        try (TestDatabase database = database(kind)) {
            JdbiStorage storage = JdbiStorage.builder(database.dataSource()).distributed(true).build();
            long now = Instant.now().toEpochMilli();
            insert(database.dataSource(), "late", "LAMP", 6, now);
            insert(database.dataSource(), "other", "DESK", 1, now);
            insert(database.dataSource(), "early", "LAMP", 5, now + 60_000);   // retried in a minute

            assertThat(orderIds(storage)).containsExactly("other");
        }
    }

    private static List<String> orderIds(JdbiStorage storage) {
        Instant now = Instant.now();
        return storage.outbox().claim(10, now, now.plusSeconds(10)).stream()
                .map(OutboxEvent::event).map(event -> ((Allocated) event).orderId()).toList();
    }

    private static void insert(DataSource dataSource, String orderId, String sku, long sequence, long nextAttemptAt) {
        Allocated allocated = new Allocated(orderId, sku, 1, sku.toLowerCase() + "-1");
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at, attempts, "
                        + "next_attempt_at) VALUES (?, ?, ?, ?, ?, 'P', ?, 0, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, sku);
            insert.setLong(3, sequence);
            insert.setString(4, EventText.type(allocated));
            insert.setString(5, EventText.payload(allocated));
            insert.setLong(6, nextAttemptAt);
            insert.setLong(7, nextAttemptAt);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
