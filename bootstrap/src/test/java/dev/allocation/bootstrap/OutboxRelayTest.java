package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.application.OutboxRelay;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.OutboxEvent;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

    /** Quick retries, so that a test sees an event through all its attempts within a second. */
    private static final OutboxRelay.Settings QUICK = new OutboxRelay.Settings(256, Duration.ofSeconds(10), 3,
            Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofHours(1), Duration.ofMillis(50),
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
    void an_event_that_keeps_failing_is_set_aside_and_its_sku_goes_on() {
        publisher.refuse("poison");
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("poison", "LAMP", 1));
        service.handle(new Allocate("o2", "LAMP", 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 1);
        assertThat(((Allocated) publisher.published.get(0)).orderId()).isEqualTo("o2");
        OutboxEvent dead = service.outbox().dead(10).get(0);
        assertThat(((Allocated) dead.event()).orderId()).isEqualTo("poison");
        assertThat(dead.attempts()).isEqualTo(QUICK.maxAttempts());
        assertThat(dead.lastError()).contains("refused poison");

        publisher.refuse("nothing");
        assertThat(service.outbox().republish(dead.eventId())).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 2);
        assertThat(publisher.eventIds).contains(dead.eventId());
        assertThat(service.outbox().backlog().dead()).isZero();
    }

    @Test
    void dead_events_can_be_purged() {
        publisher.refuse("poison");
        start();
        service.handle(new CreateBatch("b1", "LAMP", 100, null));
        service.handle(new Allocate("poison", "LAMP", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> service.outbox().backlog().dead() == 1);

        assertThat(service.outbox().purge(service.outbox().dead(1).get(0).eventId())).isTrue();

        assertThat(service.outbox().dead(10)).isEmpty();
        assertThat(service.outbox().backlog().dead()).isZero();
    }

    private void start() {
        service = Bootstrap.builder().inMemory().eventPublisher(publisher).outboxRelay(QUICK).build();
    }

    /** Records what it publishes; fails the next few publishes, or always those of one order. */
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
                throw new IllegalStateException("refused " + refused);
            }
            published.add(event);
            eventIds.add(eventId);
        }
    }
}
