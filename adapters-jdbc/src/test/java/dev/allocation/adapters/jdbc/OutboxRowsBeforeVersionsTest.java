package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An upgrade finds events pending that the release before versioned JSON recorded, as
 * {@code orderId=...&sku=...&qty=...&batchRef=...}: this release's relay publishes each of them intact, in
 * the order recorded per sku, and then the events it records itself, in its own envelope.
 */
class OutboxRowsBeforeVersionsTest {

    /** Ids with every character the old form had to encode: its separators, a plus, a percent, an emoji. */
    private static final List<Allocated> RECORDED_BEFORE = List.of(
            new Allocated("o1", "LAMP", 1, "b1"),
            new Allocated("o2", "CHAIR", 2, "b2"),
            new Allocated("o&sku=CHAIR&qty=9", "LAMP", 3, "b 1+%20"),
            new Allocated("o-\uD83D\uDE00", "CHAIR", 4, "b\"\u00e9/'"),
            new Allocated("o5", "LAMP", 5, "b1"));

    @Test
    void events_an_h2_database_holds_in_the_form_before_versions_are_published_intact_in_order() {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            thePendingEventsOfThePreviousReleaseArePublished(h2.dataSource());
        }
    }

    @Test
    void events_a_postgres_database_holds_in_the_form_before_versions_are_published_intact_in_order() {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            thePendingEventsOfThePreviousReleaseArePublished(postgres.dataSource());
        }
    }

    private static void thePendingEventsOfThePreviousReleaseArePublished(DataSource dataSource) {
        JdbiStorage.builder(dataSource).build();   // the schema, which this release does not change
        Map<String, Allocated> recorded = new LinkedHashMap<>();
        for (Allocated event : RECORDED_BEFORE) {
            recorded.put(recordAsThePreviousReleaseDid(dataSource, event), event);
        }

        JdbiStorage storage = JdbiStorage.builder(dataSource).build();   // this release starts
        Allocated recordedNow = allocate(storage);
        assertThat(Tables.integer(dataSource, "SELECT COUNT(*) FROM outbox WHERE payload LIKE "
                + "'{\"version\":1,\"type\":\"Allocated\",\"data\":{\"orderid\":\"o6\",%'"))
                .as("this release records versioned JSON").isEqualTo(1);
        List<Published> published = Collections.synchronizedList(new ArrayList<>());
        EventPublisher recording = new EventPublisher() {
            @Override
            public void publish(Event event) {
                throw new AssertionError("the relay gives every event its id");
            }

            @Override
            public void publish(String eventId, Event event) {
                published.add(new Published(eventId, event));
            }
        };
        try (OutboxRelay relay = OutboxRelay.start(storage.outbox(), recording, OutboxRelay.Settings.DEFAULT)) {
            awaitNothingPending(dataSource);
        }

        assertThat(published).hasSize(RECORDED_BEFORE.size() + 1);
        for (String sku : List.of("LAMP", "CHAIR")) {
            List<Event> expected = new ArrayList<>(recorded.values().stream().filter(e -> e.sku().equals(sku)).toList());
            if (sku.equals(recordedNow.sku())) {
                expected.add(recordedNow);
            }
            assertThat(published.stream().map(Published::event).filter(e -> ((Allocated) e).sku().equals(sku)))
                    .as("the events of %s, in the order recorded", sku).containsExactlyElementsOf(expected);
        }
        recorded.forEach((eventId, event) -> assertThat(published).contains(new Published(eventId, event)));
    }

    /** The row the release before versioned JSON inserted (its JdbiOutbox.record and EventText), in plain SQL. */
    private static String recordAsThePreviousReleaseDid(DataSource dataSource, Allocated event) {
        String eventId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (event_id, sku, type, payload, "
                     + "state, recorded_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 'P', ?, 0, ?)")) {
            insert.setString(1, eventId);
            insert.setString(2, event.sku());
            insert.setString(3, "Allocated");
            insert.setString(4, "orderId=" + encode(event.orderId()) + "&sku=" + encode(event.sku())
                    + "&qty=" + event.qty() + "&batchRef=" + encode(event.batchRef()));
            insert.setLong(5, now);
            insert.setLong(6, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return eventId;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Records one more Allocated of LAMP through this release's unit of work. */
    private static Allocated allocate(JdbiStorage storage) {
        try (UnitOfWork uow = storage.start()) {
            Product lamp = new Product("LAMP", new ArrayList<>(List.of(new Batch("b9", "LAMP", 10, null))));
            uow.products().add(lamp);
            lamp.allocate(new OrderLine("o6", "LAMP", 1));
            uow.commit();
        }
        return new Allocated("o6", "LAMP", 1, "b9");
    }

    private static void awaitNothingPending(DataSource dataSource) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Tables.integer(dataSource, "SELECT COUNT(*) FROM outbox WHERE state <> 'S'") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("events still pending after 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private record Published(String eventId, Event event) {
    }
}
