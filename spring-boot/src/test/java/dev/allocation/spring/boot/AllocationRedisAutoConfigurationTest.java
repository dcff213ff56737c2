package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.testing.LocalRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Redis integration on a real server (skipped without one, failing with {@code CI=true}): events
 * published to Redis, change_batch_quantity consumed from it once the context runs.
 */
class AllocationRedisAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AllocationRedisAutoConfiguration.class,
                    AllocationAutoConfiguration.class))
            .withPropertyValues("allocation.storage=memory", "allocation.relay.poll-interval=50ms");

    @Test
    void without_a_url_no_redis() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisBroker.class)
                .doesNotHaveBean(AllocationRedisConsumers.class));
        runner.withPropertyValues("allocation.redis.url=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader(RedisBroker.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationRedisConsumers.class));
    }

    @Test
    void publishes_to_redis_and_consumes_change_batch_quantity() {
        LocalRedis.requireRunning();
        try (LocalRedis redis = new LocalRedis()) {
            runner.withPropertyValues("allocation.redis.url=" + redis.url).run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(RedisBroker.class);
                assertThat(context).doesNotHaveBean(EventPublisher.class);
                assertThat(context.getBean(Broker.class).publisher())
                        .isSameAs(context.getBean(RedisBroker.class).publisher());
                AllocationService service = context.getBean(AllocationService.class);
                service.handle(new CreateBatch("b1", "LAMP", 10, null));
                service.handle(new Allocate("o1", "LAMP", 10));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> redis.commands().xlen(RedisBroker.LINE_ALLOCATED) >= 1);

                await().atMost(Duration.ofSeconds(10)).until(() ->
                        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\":\"b1\",\"qty\":5}") > 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> service.allocations("o1").isEmpty());
            });
        }
    }
}
