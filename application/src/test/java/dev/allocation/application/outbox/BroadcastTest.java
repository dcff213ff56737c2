package dev.allocation.application.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BroadcastTest {

    private static final Allocated EVENT = new Allocated("o1", "LAMP", 2, "b1");

    @Test
    void an_event_every_broker_accepted_is_published_once_on_each_with_its_id() {
        Broker redis = new Broker(null);
        Broker kafka = new Broker(null);

        new Broadcast(List.of(redis, kafka)).publishAsync("e1", EVENT).toCompletableFuture().join();

        assertThat(redis.received).containsExactly("e1 " + EVENT);
        assertThat(kafka.received).containsExactly("e1 " + EVENT);
    }

    @Test
    void while_one_broker_is_away_the_failure_is_transient_and_the_other_broker_still_got_the_event() {
        Broker redis = new Broker(new IllegalStateException("connection refused"));
        Broker kafka = new Broker(null);

        Throwable failure = failureOf(new Broadcast(List.of(redis, kafka)));

        assertThat(failure).isNotInstanceOf(PermanentPublishFailure.class).hasMessage("connection refused");
        assertThat(kafka.received).containsExactly("e1 " + EVENT);
    }

    @Test
    void a_permanent_refusal_beside_a_broker_that_is_away_stays_transient_so_the_event_is_tried_again() {
        Broker redis = new Broker(new PermanentPublishFailure("too large", null));
        Broker kafka = new Broker(new IllegalStateException("timeout"));

        Throwable failure = failureOf(new Broadcast(List.of(redis, kafka)));

        assertThat(failure).isNotInstanceOf(PermanentPublishFailure.class).hasMessage("timeout");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(PermanentPublishFailure.class);
    }

    @Test
    void the_event_is_dead_only_when_every_broker_that_refused_it_refused_it_for_good() {
        Broker redis = new Broker(new PermanentPublishFailure("too large", null));
        Broker kafka = new Broker(null);

        assertThat(failureOf(new Broadcast(List.of(redis, kafka)))).isInstanceOf(PermanentPublishFailure.class);
    }

    @Test
    void the_synchronous_publish_throws_the_brokers_own_failure_unwrapped() {
        Broadcast broadcast = new Broadcast(List.of(new Broker(new PermanentPublishFailure("not authorised", null))));

        assertThatThrownBy(() -> broadcast.publish("e1", EVENT)).isInstanceOf(PermanentPublishFailure.class)
                .hasMessage("not authorised");
    }

    @Test
    void a_broadcast_needs_a_publisher() {
        assertThatThrownBy(() -> new Broadcast(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one publisher");
    }

    private static Throwable failureOf(Broadcast broadcast) {
        CompletableFuture<Void> published = broadcast.publishAsync("e1", EVENT).toCompletableFuture();
        assertThatThrownBy(published::join).isInstanceOf(CompletionException.class);
        return OutboxRelay.unwrapped(published.handle((done, failure) -> failure).join());
    }

    /** A broker's publisher that accepts every event, or fails each with the failure given. */
    private static final class Broker implements EventPublisher {

        final List<String> received = new CopyOnWriteArrayList<>();
        private final RuntimeException failure;

        Broker(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void publish(Event event) {
            publish("none", event);
        }

        @Override
        public void publish(String eventId, Event event) {
            if (failure != null) {
                throw failure;
            }
            received.add(eventId + " " + event);
        }
    }
}
