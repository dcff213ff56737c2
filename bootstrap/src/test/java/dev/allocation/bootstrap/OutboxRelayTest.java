package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay through the service, in memory: events reach the publisher after the command
 * returned, at least once and in order per sku, whatever the publisher does.
 */
class OutboxRelayTest {

    /** Quick retries, at most 10 ms apart at first and 40 ms later: many attempts within a second. */
    private static final OutboxRelay.Settings QUICK = new OutboxRelay.Settings(256, Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofHours(1), Duration.ofMillis(50),
            Duration.ofMillis(5), Duration.ofMinutes(1), Duration.ofSeconds(5));

    private final FlakyPublisher publisher = new FlakyPublisher();
    private AllocationService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void allocations_are_published_after_the_command_in_the_order_committed() {
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        for (int i = 1; i <= 5; i++) {
            service.handle(new Allocate("o" + i, "LAMP", 1));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 5);
        assertThat(publisher.published).extracting(event -> ((Allocated) event).orderId())
                .containsExactly("o1", "o2", "o3", "o4", "o5");
        assertThat(publisher.eventIds).hasSize(5);
    }

    @Test
    void a_failing_publisher_fails_no_command_and_gets_every_event_once_it_recovers() {
        publisher.failNext(2);
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("o1", "LAMP", 1));
        service.handle(new Allocate("o2", "LAMP", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 2);
        assertThat(publisher.published).extracting(event -> ((Allocated) event).orderId()).containsExactly("o1", "o2");
        assertThat(publisher.failures.get()).isEqualTo(2);
        assertThat(service.outbox().backlog().pending()).isZero();
    }

    @Test
    void a_publisher_failing_transiently_for_many_attempts_makes_no_event_dead_and_gets_all_in_order() {
        publisher.failNext(60);   // 10 attempts made an event dead before: that limit is gone
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new CreateBatch("b2", "DESK", 100, null));
        for (int i = 1; i <= 6; i++) {
            service.handle(new Allocate("o" + i, i % 2 == 0 ? "DESK" : "LAMP", 1));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> publisher.published.size() == 6);
        assertThat(publisher.failures.get()).isEqualTo(60);
        assertThat(service.outbox().backlog().dead()).isZero();
        assertThat(orderIdsOf("LAMP")).containsExactly("o1", "o3", "o5");
        assertThat(orderIdsOf("DESK")).containsExactly("o2", "o4", "o6");
    }

    @Test
    void a_broker_away_is_retried_with_backoff_not_in_a_loop() throws Exception {
        publisher.failNext(Integer.MAX_VALUE);
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("o1", "LAMP", 1));

        Thread.sleep(1_000);

        // a relay whose every publish fails waits 10 ms before its next claim: at most 100 claims a second, each
        // with one attempt; a relay that spun would make many more
        assertThat(publisher.failures.get()).isBetween(3, 200);
        assertThat(service.outbox().backlog().dead()).isZero();
        assertThat(service.outbox().backlog().pending()).isEqualTo(1);
    }

    @Test
    void an_event_that_can_never_be_published_is_dead_at_once_and_holds_back_its_sku_until_republished() {
        publisher.refuse("poison");
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new CreateBatch("b2", "DESK", 100, null));
        service.handle(new Allocate("poison", "LAMP", 1));
        service.handle(new Allocate("o2", "LAMP", 1));
        service.handle(new Allocate("o3", "DESK", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 1);
        OutboxEvent dead = service.outbox().dead(10).get(0);
        assertThat(((Allocated) dead.event()).orderId()).isEqualTo("poison");
        assertThat(dead.attempts()).as("dead at the first refusal").isEqualTo(1);
        assertThat(dead.lastError()).contains("refused poison");
        assertThat(orderIdsOf("DESK")).as("another sku goes on").containsExactly("o3");
        assertThat(service.outbox().backlog().pending()).as("o2 waits behind poison").isEqualTo(1);
        stillWaits();
        assertThat(orderIdsOf("LAMP")).isEmpty();

        publisher.refuse("nothing");
        assertThat(service.outbox().republish(dead.eventId())).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 3);
        assertThat(orderIdsOf("LAMP")).containsExactly("poison", "o2");
        assertThat(publisher.eventIds).contains(dead.eventId());
        assertThat(service.outbox().backlog().dead()).isZero();
        assertThat(service.outbox().backlog().pending()).isZero();
    }

    @Test
    void purging_a_dead_event_releases_the_later_events_of_its_sku() {
        publisher.refuse("poison");
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("poison", "LAMP", 1));
        service.handle(new Allocate("o2", "LAMP", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);
        stillWaits();
        assertThat(publisher.published).isEmpty();

        assertThat(service.outbox().purge(service.outbox().dead(1).get(0).eventId())).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 1);
        assertThat(orderIdsOf("LAMP")).containsExactly("o2");
        assertThat(service.outbox().dead(10)).isEmpty();
        assertThat(service.outbox().backlog().dead()).isZero();
    }

    @Test
    void a_permanent_failure_reported_by_an_asynchronous_publish_is_dead_at_once() {
        service = Bootstrap.builder().inMemory().outboxRelay(QUICK).eventPublisher(new EventPublisher() {
            @Override
            public void publish(Event event) {
                throw new AssertionError("the relay publishes asynchronously");
            }

            @Override
            public CompletionStage<Void> publishAsync(String eventId, Event event) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new PermanentPublishFailure("too large", null);
                });
            }
        }).build();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("o1", "LAMP", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);
        OutboxEvent dead = service.outbox().dead(1).get(0);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("too large");
    }

    @Test
    void a_publisher_that_throws_instead_of_failing_its_asynchronous_publish_is_heard_all_the_same() {
        service = Bootstrap.builder().inMemory().outboxRelay(QUICK).eventPublisher(new EventPublisher() {
            @Override
            public void publish(Event event) {
                throw new AssertionError("the relay publishes asynchronously");
            }

            @Override
            public CompletionStage<Void> publishAsync(String eventId, Event event) {
                throw new PermanentPublishFailure("not authorised", null);
            }
        }).build();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("o1", "LAMP", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);
        assertThat(service.outbox().dead(1).get(0).lastError()).contains("not authorised");
    }

    @Test
    void by_default_a_published_event_is_deleted_as_it_is_published() {
        InMemoryStorage storage = new InMemoryStorage();
        service = Bootstrap.builder().storage(storage).eventPublisher(publisher).build();

        allocateThree();

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().pending() == 0);
        assertThat(storage.outbox().deletePublished(Instant.now().plusSeconds(3_600), 100)).as("nothing kept").isZero();
    }

    @Test
    void given_a_retention_a_published_event_is_kept_until_it_passes() {
        InMemoryStorage storage = new InMemoryStorage();
        service = Bootstrap.builder().storage(storage).eventPublisher(publisher).outboxRelay(QUICK).build();

        allocateThree();

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().pending() == 0);
        assertThat(storage.outbox().deletePublished(Instant.now().minus(QUICK.retention()), 100))
                .as("within the retention").isZero();
        assertThat(storage.outbox().deletePublished(Instant.now().plusSeconds(1), 100)).isEqualTo(3);
    }

    @Test
    void a_retention_may_be_zero_but_not_negative() {
        assertThat(withRetention(Duration.ZERO).retention()).isZero();
        assertThatThrownBy(() -> withRetention(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> withRetention(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }

    private static OutboxRelay.Settings withRetention(Duration retention) {
        return new OutboxRelay.Settings(QUICK.batchSize(), QUICK.lease(), QUICK.backoff(), retention,
                QUICK.pollInterval(), QUICK.linger(), QUICK.cleanupInterval(), QUICK.stopGrace());
    }

    private void allocateThree() {
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        for (int i = 1; i <= 3; i++) {
            service.handle(new Allocate("o" + i, "LAMP", 1));
        }
    }

    /** Gives the relay many rounds (its poll is 50 ms) in which it could wrongly publish what waits. */
    private static void stillWaits() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> orderIdsOf(String sku) {
        return publisher.published.stream().map(Allocated.class::cast).filter(event -> event.sku().equals(sku))
                .map(Allocated::orderId).toList();
    }

    private void start() {
        service = Bootstrap.builder().inMemory().eventPublisher(publisher).outboxRelay(QUICK).build();
    }

    /**
     * Records what it publishes; fails the next few publishes as a broker away would (transiently), and
     * always refuses those of one order as one it can never publish.
     */
    private static final class FlakyPublisher implements EventPublisher {
        final List<Event> published = new CopyOnWriteArrayList<>();
        final Set<String> eventIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger toFail = new AtomicInteger();
        private volatile String refused = "nothing";

        void failNext(int publishes) {
            toFail.set(publishes);
        }

        void refuse(String orderId) {
            refused = orderId;
        }

        @Override
        public void publish(Event event) {
            throw new AssertionError("the relay publishes with the event's id");
        }

        @Override
        public void publish(String eventId, Event event) {
            if (toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("broker away");
            }
            if (((Allocated) event).orderId().equals(refused)) {
                throw new PermanentPublishFailure("refused " + refused, null);
            }
            published.add(event);
            eventIds.add(eventId);
        }
    }
}
