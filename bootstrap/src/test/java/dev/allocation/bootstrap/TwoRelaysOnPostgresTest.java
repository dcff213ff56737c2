package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one PostgreSQL database, each with its relay, under load from 8 threads: every
 * event is published, none twice, each sku's in commit order, even with a publisher that fails now and
 * then.
 */
class TwoRelaysOnPostgresTest {

    private static final int SKUS = 20;
    private static final int THREADS = 8;
    private static final int ORDERS_PER_THREAD = 100;

    private TestDatabase database;
    private final Deliveries deliveries = new Deliveries();

    @BeforeEach
    void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void every_event_is_published_once_in_commit_order_per_sku() throws Exception {
        try (AllocationService first = service("first"); AllocationService second = service("second")) {
            for (int sku = 0; sku < SKUS; sku++) {
                first.handle(new CreateBatch("batch-" + sku, "SKU-" + sku, 1_000_000, null));
            }
            ExecutorService clients = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                AllocationService service = t % 2 == 0 ? first : second;
                int thread = t;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                        service.handle(new Allocate("o-" + thread + "-" + i, "SKU-" + (i % SKUS), 1));
                    }
                    return null;
                }));
            }
            for (Future<?> result : done) {
                result.get();
            }
            clients.shutdown();

            int allocations = THREADS * ORDERS_PER_THREAD;
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.published.size() >= allocations);
            Thread.sleep(500);   // time for a second delivery to show, were there one
            assertThat(deliveries.eventIds()).as("each event once").doesNotHaveDuplicates().hasSize(allocations);
            assertThat(deliveries.failures.get()).as("the publisher did fail now and then").isPositive();
            assertThat(first.outbox().backlog().pending()).isZero();
            // per sku, the order published is the order committed: the product's version order, which
            // for one thread's orders of a sku is the order it sent them
            Map<String, List<Integer>> sentInOrder = new HashMap<>();
            for (Delivery delivery : deliveries.published) {
                Allocated allocated = (Allocated) delivery.event();
                String[] parts = allocated.orderId().split("-");
                sentInOrder.computeIfAbsent(allocated.sku() + "/" + parts[1], key -> new ArrayList<>())
                        .add(Integer.parseInt(parts[2]));
            }
            sentInOrder.forEach((skuAndThread, orders) -> assertThat(orders).as(skuAndThread).isSorted());
            assertThat(deliveries.relays()).as("both relays published").hasSize(2);
        }
    }

    /** An instance whose relay retries a failed publish within a fraction of a second, not the default second and more. */
    private AllocationService service(String name) {
        return Bootstrap.builder().jdbc(database.dataSource()).eventPublisher(deliveries.publisherFor(name))
                .outboxRelay(OutboxRelay.Settings.DEFAULT.withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))))
                .build();
    }

    private record Delivery(String relay, String eventId, Event event) {
    }

    /** What both instances' publishers received; every 50th publish fails, as a broker now and then does. */
    private static final class Deliveries {
        final ConcurrentLinkedQueue<Delivery> published = new ConcurrentLinkedQueue<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        EventPublisher publisherFor(String relay) {
            return new EventPublisher() {
                @Override
                public void publish(Event event) {
                    throw new AssertionError("the relay publishes with the event's id");
                }

                @Override
                public void publish(String eventId, Event event) {
                    if (attempts.incrementAndGet() % 50 == 0) {
                        failures.incrementAndGet();
                        throw new IllegalStateException("broker hiccup");
                    }
                    published.add(new Delivery(relay, eventId, event));
                }
            };
        }

        List<String> eventIds() {
            return published.stream().map(Delivery::eventId).toList();
        }

        java.util.Set<String> relays() {
            return published.stream().map(Delivery::relay).collect(java.util.stream.Collectors.toSet());
        }
    }
}
