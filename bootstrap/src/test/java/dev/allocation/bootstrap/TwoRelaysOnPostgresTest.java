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
import java.util.concurrent.ConcurrentHashMap;
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
 * then. And where one instance gets every command, the other's relay relays its share of the events as
 * they come, not at its polls.
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

    /**
     * Commands reach one instance only, so that no commit of its own wakes the other's relay, which holds
     * half the outbox's buckets. Once a poll found its first events, it follows them as they come: none of
     * them waits for its next poll, which is 3 s away.
     */
    @Test
    void the_relay_of_an_instance_without_commands_follows_its_share_of_the_events_not_its_poll() throws Exception {
        Duration poll = Duration.ofSeconds(3);
        OutboxRelay.Settings slowPoll = new OutboxRelay.Settings(256, Duration.ofSeconds(10),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ZERO, poll, Duration.ofMillis(20),
                Duration.ofMinutes(1), Duration.ofSeconds(5));
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        int skus = 256;   // enough that either instance's half of the buckets holds about half of them
        try (AllocationService busy = service("busy", slowPoll); AllocationService idle = service("idle", slowPoll)) {
            for (int sku = 0; sku < skus; sku++) {
                busy.handle(new CreateBatch("batch-" + sku, "SKU-" + sku, 1_000_000, null));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            Long followingSince = null;
            for (int i = 0; System.nanoTime() < deadline; i++) {
                busy.handle(new Allocate("o-" + i, "SKU-" + (i % skus), 1));
                committedAt.put("o-" + i, System.nanoTime());
                Thread.sleep(2);
                if (followingSince == null && deliveries.firstPublishBy("idle") != null) {
                    followingSince = System.nanoTime();
                }
                if (followingSince != null && System.nanoTime() - followingSince > 3 * poll.toNanos() / 2) {
                    break;
                }
            }
            assertThat(followingSince).as("the idle instance's relay took a share of the buckets and published").isNotNull();
            long since = followingSince;
            await().atMost(Duration.ofSeconds(10)).until(() -> busy.outbox().backlog().pending() == 0);
            List<Long> waits = deliveries.published.stream()
                    .filter(delivery -> delivery.relay().equals("idle"))
                    .map(delivery -> Map.entry(committedAt.get(((Allocated) delivery.event()).orderId()), delivery.at()))
                    .filter(times -> times.getKey() > since)
                    .map(times -> times.getValue() - times.getKey())
                    .toList();
            assertThat(waits).as("events committed once the idle instance's relay published its first").isNotEmpty();
            assertThat(Duration.ofNanos(waits.stream().mapToLong(Long::longValue).max().orElseThrow()))
                    .as("the longest any of them waited, against a poll of " + poll)
                    .isLessThan(poll.dividedBy(3));
            assertThat(waits).as("the idle instance's share of the events that followed").hasSizeGreaterThan(50);
        }
    }

    /** An instance whose relay retries a failed publish within a fraction of a second, not the default second and more. */
    private AllocationService service(String name) {
        return Bootstrap.builder().jdbc(database.dataSource()).eventPublisher(deliveries.publisherFor(name))
                .outboxRelay(OutboxRelay.Settings.DEFAULT.withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))))
                .build();
    }

    /** An instance with {@code relay}'s settings, on a pool of its own, quick enough to keep events flowing. */
    private AllocationService service(String name, OutboxRelay.Settings relay) {
        return Bootstrap.builder().jdbc(database.url(), database.user(), database.password())
                .eventPublisher(deliveries.publisherFor(name)).outboxRelay(relay).build();
    }

    /** An event one instance's relay published, and when ({@link System#nanoTime}). */
    private record Delivery(String relay, String eventId, Event event, long at) {
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
                    published.add(new Delivery(relay, eventId, event, System.nanoTime()));
                }
            };
        }

        List<String> eventIds() {
            return published.stream().map(Delivery::eventId).toList();
        }

        /** When {@code relay} first published, or null. */
        Long firstPublishBy(String relay) {
            return published.stream().filter(delivery -> delivery.relay().equals(relay)).map(Delivery::at)
                    .findFirst().orElse(null);
        }

        java.util.Set<String> relays() {
            return published.stream().map(Delivery::relay).collect(java.util.stream.Collectors.toSet());
        }
    }
}
