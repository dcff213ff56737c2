package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import dev.allocation.testing.PostgresPerClass;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relays of two instances share one outbox by its buckets: half each, every sku's events with one
 * relay, claims that never wait on the other relay's locks, and the whole outbox taken over by the one
 * left when the other leaves or dies. One database for the class, emptied before each test.
 */
class OutboxBucketsOnPostgresTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int SKUS = 40;

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    private JdbiStorage first;
    private JdbiStorage second;

    @BeforeEach
    void twoInstancesWithEventsOfManySkus() {
        first = JdbiStorage.builder(postgres.database().dataSource()).build();
        second = JdbiStorage.builder(postgres.database().dataSource()).build();
        for (int sku = 0; sku < SKUS; sku++) {
            allocate("SKU-" + sku, "a" + sku);
            allocate("SKU-" + sku, "b" + sku);
        }
    }

    @Test
    void two_relays_split_the_buckets_and_each_sku_goes_to_one_of_them_whole() {
        List<OutboxEvent> alone = claim(first);
        assertThat(alone).as("alone, the first takes every bucket").hasSize(2 * SKUS);
        release(first, alone);

        settle();

        assertThat(bucketsHeld()).containsOnlyKeys(relayOf(first), relayOf(second))
                .allSatisfy((relay, buckets) -> assertThat(buckets).isEqualTo(JdbiOutbox.BUCKETS / 2));
        List<OutboxEvent> ofFirst = claim(first);
        List<OutboxEvent> ofSecond = claim(second);
        Set<String> skusOfFirst = ofFirst.stream().map(OutboxEvent::sku).collect(Collectors.toSet());
        assertThat(ofSecond).as("no sku with both").noneMatch(event -> skusOfFirst.contains(event.sku()));
        assertThat(ofFirst).as("both have work").isNotEmpty();
        assertThat(ofSecond).isNotEmpty();
        assertThat(orderIds(ofFirst, ofSecond)).as("every event, once").hasSize(2 * SKUS)
                .doesNotHaveDuplicates();
        for (List<OutboxEvent> claimed : List.of(ofFirst, ofSecond)) {
            Map<String, List<String>> bySku = claimed.stream().collect(Collectors.groupingBy(OutboxEvent::sku,
                    Collectors.mapping(event -> orderId(event).substring(0, 1), Collectors.toList())));
            assertThat(bySku.values()).as("each sku in commit order").allSatisfy(
                    orders -> assertThat(orders).containsExactly("a", "b"));
        }
    }

    @Test
    void a_relay_claims_while_another_holds_the_locks_of_its_own_buckets() throws Exception {
        release(first, claim(first));
        settle();
        try (Connection other = postgres.database().dataSource().getConnection();
             Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.executeQuery("SELECT bucket FROM outbox_buckets WHERE relay_id = '" + relayOf(first)
                    + "' FOR UPDATE");   // as the first relay's claim does, for as long as this test likes

            CompletableFuture<List<OutboxEvent>> ofSecond = CompletableFuture.supplyAsync(() -> claim(second));
            CompletableFuture<List<OutboxEvent>> ofFirst = CompletableFuture.supplyAsync(() -> claim(first));

            assertThat(ofSecond.get(5, TimeUnit.SECONDS)).as("the second never waits on the first's locks")
                    .isNotEmpty();
            Thread.sleep(300);
            assertThat(ofFirst).as("a claim of the first's buckets waits for their locks").isNotDone();
            other.rollback();
            assertThat(ofFirst.get(5, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void the_relay_left_takes_every_bucket_at_once_when_the_other_leaves() {
        release(first, claim(first));
        settle();

        first.outbox().leave();
        await(() -> bucketsHeld().getOrDefault(relayOf(second), 0) == JdbiOutbox.BUCKETS, () -> claim(second));

        assertThat(bucketsHeld()).containsOnlyKeys(relayOf(second));
    }

    @Test
    void the_buckets_of_a_relay_that_died_are_taken_once_its_lease_lapsed_and_its_claimed_events_after_their_claim() {
        release(first, claim(first));
        settle();
        List<OutboxEvent> inFlight = claim(first);   // then the first relay dies mid-publish: it never marks them

        Instant claimedAt = Instant.now();
        Instant lapses = inFlight.get(0).claimedUntil();
        await(() -> bucketsHeld().getOrDefault(relayOf(second), 0) == JdbiOutbox.BUCKETS, () -> {
            List<OutboxEvent> early = claim(second);
            if (Instant.now().isBefore(lapses)) {
                assertThat(orderIds(early)).as("claimed by the first until its claim lapses")
                        .doesNotContainAnyElementsOf(orderIds(inFlight));
            }
            release(second, early);
        });
        assertThat(Duration.between(claimedAt, Instant.now())).as("not before the lease lapsed")
                .isGreaterThanOrEqualTo(LEASE.dividedBy(2));

        List<OutboxEvent> all = new ArrayList<>();
        await(() -> {
            all.addAll(claim(second));
            return all.size() == 2 * SKUS;
        }, () -> { });
        assertThat(orderIds(all)).doesNotHaveDuplicates().containsAll(orderIds(inFlight));
    }

    /** Claims once with this test's lease, as a relay does at each of its rounds. */
    private static List<OutboxEvent> claim(JdbiStorage storage) {
        Instant now = Instant.now();
        return storage.outbox().claim(1_000, now, now.plus(LEASE));
    }

    private static void release(JdbiStorage storage, List<OutboxEvent> events) {
        if (!events.isEmpty()) {
            storage.outbox().release(events);
        }
    }

    /** Both relays renew, with their events given back each time, until each holds its half. */
    private void settle() {
        await(() -> bucketsHeld().values().stream().sorted().toList()
                        .equals(List.of(JdbiOutbox.BUCKETS / 2, JdbiOutbox.BUCKETS / 2)),
                () -> {
                    release(first, claim(first));
                    release(second, claim(second));
                });
    }

    /** How many buckets each relay holds. */
    private static Map<String, Integer> bucketsHeld() {
        Map<String, Integer> held = new HashMap<>();
        try (Connection connection = postgres.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT relay_id, COUNT(*) FROM outbox_buckets"
                     + " WHERE relay_id IS NOT NULL GROUP BY relay_id")) {
            while (rs.next()) {
                held.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return held;
    }

    private static String relayOf(JdbiStorage storage) {
        return ((JdbiOutbox) storage.outbox()).relayId();
    }

    private static void await(BooleanSupplier done, Runnable meanwhile) {
        long deadline = System.nanoTime() + LEASE.multipliedBy(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("settled in time").isLessThan(deadline);
            meanwhile.run();
            try {
                Thread.sleep(LEASE.toMillis() / 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static List<String> orderIds(List<OutboxEvent> first, List<OutboxEvent> second) {
        List<String> ids = new ArrayList<>(orderIds(first));
        ids.addAll(orderIds(second));
        return ids;
    }

    private static List<String> orderIds(List<OutboxEvent> events) {
        return events.stream().map(OutboxBucketsOnPostgresTest::orderId).toList();
    }

    private static String orderId(OutboxEvent event) {
        return ((Allocated) event.event()).orderId();
    }

    private void allocate(String sku, String orderId) {
        try (UnitOfWork uow = first.start()) {
            Product product = uow.products().get(sku).orElse(null);
            if (product == null) {
                product = new Product(sku, new ArrayList<>(List.of(new Batch("batch-" + sku, sku, 100, null))));
                uow.products().add(product);
            }
            product.allocate(new OrderLine(orderId, sku, 1));
            uow.commit();
        }
    }
}
