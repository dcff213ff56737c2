package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a host with its own lifecycle needs of the builder: a service whose relay starts (and stops)
 * when the host says, and one that leaves the schema to whoever migrates it.
 */
class DeferredRelayAndMigrationsTest {

    private static final OutboxRelay.Settings QUICK = new OutboxRelay.Settings(256, Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofHours(1), Duration.ofMillis(50),
            Duration.ofMillis(5), Duration.ofMinutes(1), Duration.ofSeconds(5));

    private final List<Event> published = new CopyOnWriteArrayList<>();

    @Test
    void a_deferred_relay_publishes_nothing_until_started_then_everything_recorded_meanwhile() throws Exception {
        try (AllocationService service = Bootstrap.builder().inMemory().eventPublisher(published::add)
                .outboxRelay(QUICK).deferRelay().build()) {
            assertThat(service.isRelayRunning()).isFalse();
            service.handle(new CreateBatch("b1", "LAMP", 10, null));
            service.handle(new Allocate("o1", "LAMP", 1));
            Thread.sleep(300);   // several polls of a running relay
            assertThat(published).isEmpty();
            assertThat(service.outbox().backlog().pending()).isEqualTo(1);

            service.startRelay();
            service.startRelay();   // nothing more: one relay
            assertThat(service.isRelayRunning()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);

            service.stopRelay();
            assertThat(service.isRelayRunning()).isFalse();
            service.handle(new Allocate("o2", "LAMP", 1));   // commands go on; their events wait
            Thread.sleep(300);
            assertThat(published).hasSize(1);
            service.startRelay();
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        }
    }

    @Test
    void by_default_build_starts_the_relay() {
        try (AllocationService service = Bootstrap.builder().inMemory().build()) {
            assertThat(service.isRelayRunning()).isTrue();
        }
        AllocationService closed = Bootstrap.builder().inMemory().build();
        closed.close();
        assertThat(closed.isRelayRunning()).isFalse();
        assertThatThrownBy(closed::startRelay).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void without_migrations_the_service_expects_the_schema_someone_else_migrated() {
        String url = "jdbc:h2:mem:migrate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (AllocationService unmigrated = Bootstrap.builder().jdbc(url, "sa", "").migrate(false).build()) {
            assertThatThrownBy(() -> unmigrated.handle(new CreateBatch("b1", "LAMP", 10, null)))
                    .isInstanceOf(RuntimeException.class);
        }
        try (AllocationService migrating = Bootstrap.builder().jdbc(url, "sa", "").build()) {
            migrating.handle(new CreateBatch("b1", "LAMP", 10, null));
        }
        try (AllocationService unmigrated = Bootstrap.builder().jdbc(url, "sa", "").migrate(false).build()) {
            unmigrated.handle(new Allocate("o1", "LAMP", 1));
            assertThat(unmigrated.allocations("o1")).hasSize(1);
        }
    }
}
