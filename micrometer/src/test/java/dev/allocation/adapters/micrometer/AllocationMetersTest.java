package dev.allocation.adapters.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.Backoff;
import dev.allocation.application.InvalidSku;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.testing.LocalRedis;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The meters of a real service in memory, through its bus and its relay, in a simple registry; and the
 * meters HikariCP and Lettuce record once handed over (Lettuce's against the local Redis).
 */
class AllocationMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AllocationMeters meters = new AllocationMeters(registry);

    @Test
    void every_message_handled_is_timed_by_kind_type_and_outcome() {
        try (AllocationService service = Bootstrap.builder().inMemory().listener(meters)
                .notifications((to, message) -> { }).build()) {
            service.handle(new CreateBatch("b1", "LAMP", 2, null));
            service.handle(new Allocate("o1", "LAMP", 2));
            service.handle(new Allocate("o2", "LAMP", 1));   // out of stock: still a success
            assertThatThrownBy(() -> service.handle(new Allocate("o3", "NOPE", 1))).isInstanceOf(InvalidSku.class);
        }

        assertThat(timed("command", "CreateBatch", "success")).isEqualTo(1);
        assertThat(timed("command", "Allocate", "success")).isEqualTo(2);
        assertThat(timed("command", "Allocate", "refused")).isEqualTo(1);
        assertThat(timed("event", "Allocated", "success")).isEqualTo(1);
        assertThat(timed("event", "OutOfStock", "success")).isEqualTo(1);
        assertThat(registry.get(AllocationMeters.MESSAGES).tag("type", "Allocate").tag("outcome", "success").timer()
                .totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void conflicts_retried_contention_and_failing_event_handlers_are_counted_by_type() {
        meters.conflictRetried(new Allocate("o1", "HOT", 1), 1);
        meters.conflictRetried(new Allocate("o1", "HOT", 1), 2);
        meters.contentionExhausted(new Allocate("o1", "HOT", 1), 100);
        meters.eventHandlerFailed(new OutOfStock("HOT"), new IllegalStateException("mail down"), false);
        meters.eventHandlerFailed(new OutOfStock("HOT"), new IllegalStateException("mail down"), true);

        assertThat(registry.get(AllocationMeters.CONFLICTS_RETRIED).tag("type", "Allocate").counter().count()).isEqualTo(2);
        assertThat(registry.get(AllocationMeters.CONTENTION_EXHAUSTED).tag("type", "Allocate").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(AllocationMeters.EVENT_HANDLER_FAILURES).tag("type", "OutOfStock")
                .tag("given_up", "false").counter().count()).isEqualTo(1);
        assertThat(registry.get(AllocationMeters.EVENT_HANDLER_FAILURES).tag("type", "OutOfStock")
                .tag("given_up", "true").counter().count()).isEqualTo(1);
    }

    @Test
    void the_outbox_gauges_show_the_backlog_while_the_broker_is_away_and_after() throws Exception {
        CountDownLatch brokerBack = new CountDownLatch(1);
        OutboxRelay.Settings quick = OutboxRelay.Settings.DEFAULT.withBackoff(new Backoff(Duration.ofMillis(50),
                Duration.ofMillis(100)));
        try (AllocationService service = Bootstrap.builder().inMemory().outboxRelay(quick)
                .notifications((to, message) -> { })
                .eventPublisher(event -> {
                    if (brokerBack.getCount() > 0 && event instanceof Allocated) {
                        throw new IllegalStateException("broker away");
                    }
                }).build()) {
            meters.outbox(service.outbox());
            service.handle(new CreateBatch("b1", "LAMP", 10, null));
            service.handle(new Allocate("o1", "LAMP", 1));
            service.handle(new Allocate("o2", "LAMP", 1));

            Thread.sleep(AllocationMeters.BACKLOG_FRESHNESS.toMillis() + 100);
            assertThat(gauge(AllocationMeters.OUTBOX_PENDING)).isEqualTo(2);
            assertThat(gauge(AllocationMeters.OUTBOX_OLDEST_AGE)).isPositive();
            assertThat(gauge(AllocationMeters.OUTBOX_DEAD)).isZero();

            brokerBack.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gauge(AllocationMeters.OUTBOX_PENDING) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(gauge(AllocationMeters.OUTBOX_PENDING)).isZero();
            assertThat(gauge(AllocationMeters.OUTBOX_OLDEST_AGE)).isZero();
        }
    }

    @Test
    void the_broker_gauge_is_1_while_the_broker_answers_and_0_while_it_does_not() {
        AtomicBoolean answers = new AtomicBoolean(true);
        meters.broker("redis", answers::get);

        assertThat(registry.get(AllocationMeters.BROKER_UP).tag("broker", "redis").gauge().value()).isEqualTo(1);
        answers.set(false);
        assertThat(registry.get(AllocationMeters.BROKER_UP).tag("broker", "redis").gauge().value()).isEqualTo(0);
    }

    @Test
    void hikaris_own_pool_meters_land_in_the_registry() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:meters-" + UUID.randomUUID());
        config.setPoolName("allocation");
        config.setMetricsTrackerFactory(meters.hikari());
        try (HikariDataSource pool = new HikariDataSource(config); Connection connection = pool.getConnection()) {
            assertThat(registry.get("hikaricp.connections.active").tag("pool", "allocation").gauge().value())
                    .isEqualTo(1);
        }
    }

    @Test
    void lettuces_own_command_latencies_land_in_the_registry() {
        LocalRedis.requireRunning();
        ClientResources resources = ClientResources.builder().commandLatencyRecorder(meters.lettuce()).build();
        RedisClient client = RedisClient.create(resources, "redis://127.0.0.1:6379");
        try (var connection = client.connect()) {
            connection.sync().ping();
        } finally {
            client.shutdown();
            resources.shutdown();
        }

        assertThat(registry.get("lettuce.command.completion").tag("command", "PING").timer().count()).isEqualTo(1);
    }

    private long timed(String kind, String type, String outcome) {
        return registry.get(AllocationMeters.MESSAGES).tag("kind", kind).tag("type", type).tag("outcome", outcome)
                .timer().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
