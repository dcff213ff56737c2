package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.testing.ApiClient;
import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The admin API of the running service: the outbox's figures, and its dead events listed, republished, purged. */
class AdminApiTest {

    private static final OutboxRelay.Settings QUICK = new OutboxRelay.Settings(256, Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofHours(1), Duration.ofMillis(50),
            Duration.ofMillis(5), Duration.ofMinutes(1), Duration.ofSeconds(5));

    private final RefusingPublisher publisher = new RefusingPublisher();
    private RunningService service;
    private ApiClient api;
    private ApiClient admin;

    @BeforeEach
    void start() {
        service = RunningService.start(TestConfigs.inMemory(),
                Bootstrap.builder().eventPublisher(publisher).outboxRelay(QUICK));
        api = new ApiClient(service.port());
        admin = new ApiClient(service.adminPort());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void dead_events_are_listed_republished_and_purged_over_the_admin_api() {
        api.addBatch("b1", "LAMP", 10, null);
        api.allocate("o1", "LAMP", 1);
        api.allocate("o2", "LAMP", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ApiClient.json(admin.send("GET", "/outbox", null))
                .path("dead").asInt() == 1);

        JsonNode dead = ApiClient.json(admin.send("GET", "/outbox/dead?limit=10", null));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("sku").asString()).isEqualTo("LAMP");
        assertThat(dead.get(0).path("type").asString()).isEqualTo("Allocated");
        assertThat(dead.get(0).path("event").path("orderId").asString()).isEqualTo("o1");
        assertThat(dead.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get(0).path("last_error").asString()).contains("broker refuses");
        assertThat(ApiClient.json(admin.send("GET", "/outbox", null)).path("pending").asInt())
                .as("o2 waits behind o1").isEqualTo(1);

        publisher.accept = true;
        String first = dead.get(0).path("event_id").asString();
        assertThat(admin.send("POST", "/outbox/dead/" + first + "/republish", null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published.size() == 2);
        assertThat(publisher.published).extracting(event -> ((Allocated) event).orderId()).containsExactly("o1", "o2");
        assertThat(admin.send("POST", "/outbox/dead/" + first + "/republish", null).statusCode())
                .as("no longer dead").isEqualTo(404);

        publisher.accept = false;
        api.allocate("o3", "LAMP", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ApiClient.json(admin.send("GET", "/outbox", null))
                .path("dead").asInt() == 1);
        assertThat(admin.send("DELETE", "/outbox/dead/no-such-event", null).statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(admin.send("DELETE", "/outbox/dead", null)).path("purged").asInt()).isEqualTo(1);
        JsonNode figures = ApiClient.json(admin.send("GET", "/outbox", null));
        assertThat(figures.path("pending").asInt()).isZero();
        assertThat(figures.path("dead").asInt()).isZero();
    }

    @Test
    void the_admin_api_refuses_what_it_does_not_know() {
        assertThat(admin.send("GET", "/outbox/dead?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(admin.send("GET", "/outbox/dead?limit=x", null).statusCode()).isEqualTo(400);
        assertThat(admin.send("GET", "/allocations/o1", null).statusCode()).isEqualTo(404);
        assertThat(api.send("GET", "/outbox", null).statusCode()).as("not on the public API").isEqualTo(404);
    }

    /** Refuses every event, as one it can never publish, until told to accept them. */
    private static final class RefusingPublisher implements EventPublisher {
        final List<Event> published = new CopyOnWriteArrayList<>();
        volatile boolean accept;

        @Override
        public void publish(Event event) {
            if (!accept) {
                throw new PermanentPublishFailure("broker refuses " + ((Allocated) event).orderId(), null);
            }
            published.add(event);
        }
    }
}
