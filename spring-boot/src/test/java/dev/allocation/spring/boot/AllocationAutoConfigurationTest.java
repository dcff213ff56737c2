package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.micrometer.AllocationMeters;
import dev.allocation.application.DuplicateBatch;
import dev.allocation.application.MessageBusListener;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every condition of the auto-configuration, each in a context of its own. */
@ExtendWith(OutputCaptureExtension.class)
class AllocationAutoConfigurationTest {

    private static final AutoConfigurations ALLOCATION = AutoConfigurations.of(AllocationAutoConfiguration.class,
            AllocationMetricsAutoConfiguration.class, AllocationHealthAutoConfiguration.class,
            AllocationOutboxEndpointAutoConfiguration.class);

    private final ApplicationContextRunner withoutDataSource = new ApplicationContextRunner()
            .withConfiguration(ALLOCATION);

    private final ApplicationContextRunner withDataSource = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, FlywayAutoConfiguration.class))
            .withConfiguration(ALLOCATION)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void on_the_applications_data_source_after_its_own_flyway_each_in_its_own_history_table() {
        withDataSource.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AllocationService.class);
            AllocationService service = context.getBean(AllocationService.class);
            assertThat(service.toString()).contains("JDBC", "HikariDataSource");
            allocate(service, "o1");
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL", String.class))
                    .containsExactly("V1__shop_orders.sql");
            assertThat(jdbc.queryForList("SELECT \"script\" FROM \"allocation_schema_history\" WHERE \"version\" <> '0'",
                    String.class)).isNotEmpty().noneMatch(script -> script.contains("shop_orders"));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM allocations_view", Integer.class)).isEqualTo(1);
        });
    }

    @Test
    void never_closes_the_applications_pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (pool) {
            withoutDataSource.withBean(DataSource.class, () -> pool, definition -> definition.setDestroyMethodName("")).run(context -> {
                assertThat(context.getBean(AllocationService.class).toString()).contains("JDBC");
                allocate(context.getBean(AllocationService.class), "o1");
            });
            assertThat(pool.isClosed()).isFalse();
            assertThat(new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM allocations_view", Integer.class))
                    .isEqualTo(1);
        }
    }

    @Test
    void without_a_data_source_in_memory_with_a_warning(CapturedOutput output) {
        withoutDataSource.run(context -> {
            AllocationService service = context.getBean(AllocationService.class);
            assertThat(service.toString()).contains("in memory");
            allocate(service, "o1");
            assertThat(service.allocations("o1")).hasSize(1);
        });
        assertThat(output).contains("No single DataSource", "in memory");
    }

    @Test
    void storage_memory_ignores_the_data_source_and_storage_jdbc_needs_one() {
        withDataSource.withPropertyValues("allocation.storage=memory").run(context ->
                assertThat(context.getBean(AllocationService.class).toString()).contains("in memory"));
        withoutDataSource.withPropertyValues("allocation.storage=jdbc").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("allocation.storage=jdbc needs exactly one DataSource"));
    }

    @Test
    void migrate_false_leaves_the_schema_alone() {
        withDataSource.withPropertyValues("allocation.migrate=false").run(context -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                    + "WHERE LOWER(TABLE_NAME) = 'allocation_schema_history'", Integer.class)).isZero();
        });
    }

    @Test
    void disabled_configures_nothing() {
        withDataSource.withPropertyValues("allocation.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(AllocationService.class).doesNotHaveBean(AllocationLifecycle.class)
                        .doesNotHaveBean(AllocationMetrics.class));
    }

    @Test
    void the_applications_own_service_wins_and_its_relay_is_still_run_by_the_lifecycle() {
        AllocationService own = Bootstrap.builder().inMemory().deferRelay().build();
        withDataSource.withBean(AllocationService.class, () -> own).run(context -> {
            assertThat(context).getBean(AllocationService.class).isSameAs(own);
            assertThat(own.isRelayRunning()).isTrue();
            assertThat(context).hasSingleBean(AllocationHealthIndicator.class);
        });
        assertThat(own.isRelayRunning()).isFalse();
        own.close();
    }

    @Test
    void uses_the_applications_publisher_notifications_listener_and_customizers() {
        List<Event> published = new CopyOnWriteArrayList<>();
        List<String> notified = new CopyOnWriteArrayList<>();
        List<Message> heard = new CopyOnWriteArrayList<>();
        withoutDataSource
                .withPropertyValues("allocation.storage=memory", "allocation.relay.poll-interval=50ms")
                .withBean(EventPublisher.class, () -> published::add)
                .withBean(Notifications.class, () -> (to, message) -> notified.add(to + ": " + message))
                .withBean(MessageBusListener.class, () -> new MessageBusListener() {
                    @Override
                    public void handled(Message message, Outcome outcome, Duration duration) {
                        heard.add(message);
                    }
                })
                .withBean(AllocationBuilderCustomizer.class, () -> builder -> builder.outOfStockRecipient("ops@shop"))
                .run(context -> {
                    AllocationService service = context.getBean(AllocationService.class);
                    allocate(service, "o1");
                    service.handle(new Allocate("o2", "LAMP", 1_000));   // out of stock
                    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
                    assertThat(published.get(0)).isEqualTo(new Allocated("o1", "LAMP", 1, "b1"));
                    assertThat(notified).containsExactly("ops@shop: Out of stock for LAMP");
                    assertThat(heard).contains(new Allocate("o1", "LAMP", 1));
                });
    }

    @Test
    void the_relay_can_be_turned_off() {
        withoutDataSource.withPropertyValues("allocation.relay.enabled=false").run(context ->
                assertThat(context.getBean(AllocationService.class).isRelayRunning()).isFalse());
        withoutDataSource.run(context ->
                assertThat(context.getBean(AllocationService.class).isRelayRunning()).isTrue());
    }

    @Test
    void properties_reach_the_builder() {
        withDataSource.withPropertyValues("allocation.locking=pessimistic", "allocation.out-of-stock-recipient=x@y",
                "allocation.retries.conflict-attempts=7", "allocation.relay.batch-size=3").run(context -> {
                    AllocationProperties properties = context.getBean(AllocationProperties.class);
                    assertThat(properties.getRetries().toRetry().conflictAttempts()).isEqualTo(7);
                    assertThat(properties.getRelay().toSettings().batchSize()).isEqualTo(3);
                    assertThat(context.getBean(AllocationService.class).toString()).containsIgnoringCase("pessimistic");
                });
        withDataSource.withPropertyValues("allocation.relay.batch-size=0").run(context ->
                assertThat(context).hasFailed());
    }

    @Test
    void meters_on_the_applications_registry() {
        withoutDataSource.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(AllocationMetrics.class);
            allocate(context.getBean(AllocationService.class), "o1");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find(AllocationMeters.MESSAGES).timers()).isNotEmpty();
            assertThat(registry.find(AllocationMeters.OUTBOX_PENDING).gauge()).isNotNull();
        });
        withoutDataSource.run(context -> assertThat(context).doesNotHaveBean(AllocationMetrics.class));
        withoutDataSource.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationMetrics.class));
    }

    @Test
    void health_named_allocation_with_the_outbox_figures() {
        withDataSource.run(context -> {
            assertThat(context).hasBean("allocationHealthIndicator");
            allocate(context.getBean(AllocationService.class), "o1");
            Health health = context.getBean("allocationHealthIndicator", HealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("storage", "outboxPending", "outboxOldestPendingAge",
                    "outboxDead");
        });
        withDataSource.withPropertyValues("management.health.allocation.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(AllocationHealthIndicator.class));
        withDataSource.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(AllocationHealthIndicator.class));
    }

    @Test
    void health_down_once_the_storage_is_gone() {
        withoutDataSource.run(context -> {
            AllocationService service = context.getBean(AllocationService.class);
            service.close();
            assertThat(new AllocationHealthIndicator(service).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void outbox_endpoint() {
        withoutDataSource.withPropertyValues("management.endpoints.web.exposure.include=allocationoutbox").run(context -> {
            AllocationOutboxEndpoint endpoint = context.getBean(AllocationOutboxEndpoint.class);
            allocate(context.getBean(AllocationService.class), "o1");
            assertThat(endpoint.outbox().dead()).isZero();
            assertThat(endpoint.republish("no-such-event").done()).isFalse();
            assertThat(endpoint.purge("no-such-event").done()).isFalse();
            assertThat(endpoint.purgeDead().purged()).isZero();
        });
        withoutDataSource.withPropertyValues("management.endpoint.allocationoutbox.access=NONE").run(context ->
                assertThat(context).doesNotHaveBean(AllocationOutboxEndpoint.class));
    }

    @Test
    void inside_an_application_transaction_handle_warns_by_default_or_fails(CapturedOutput output) {
        withDataSource.run(context -> {
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            AllocationService service = context.getBean(AllocationService.class);
            transaction.executeWithoutResult(status ->
                    service.handle(new CreateBatch("b1", "LAMP", 10, null)));
            assertThat(output).contains("inside an application transaction");
            allocate(service, "o1");   // outside: no transaction, no check
        });
        withDataSource.withPropertyValues("allocation.transaction-participation=fail").run(context -> {
            TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            AllocationService service = context.getBean(AllocationService.class);
            assertThatThrownBy(() -> transaction.executeWithoutResult(status ->
                    service.handle(new CreateBatch("b2", "LAMP", 10, null))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("AFTER_COMMIT");
            service.handle(new CreateBatch("b2", "LAMP", 10, null));   // outside: fine
        });
        withoutDataSource.withClassLoader(new FilteredClassLoader("org.springframework.transaction"))
                .run(context -> allocate(context.getBean(AllocationService.class), "o1"));
    }

    /** Allocates one LAMP to the order, from batch b1, made by the first call. */
    private static void allocate(AllocationService service, String orderId) {
        try {
            service.handle(new CreateBatch("b1", "LAMP", 100, null));
        } catch (DuplicateBatch madeByAnEarlierCall) {
            // b1 is there
        }
        service.handle(new Allocate(orderId, "LAMP", 1));
    }
}
