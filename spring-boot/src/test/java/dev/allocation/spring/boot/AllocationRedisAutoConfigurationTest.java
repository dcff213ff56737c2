package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.testing.LocalRedis;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
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
    void enabled_takes_the_server_of_the_applications_redis_connection_details() {
        runner.withPropertyValues("allocation.redis.enabled=true").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("no single DataRedisConnectionDetails"));
        LocalRedis.requireRunning();
        try (LocalRedis redis = new LocalRedis()) {
            URI server = URI.create(redis.url);
            int database = Integer.parseInt(server.getPath().substring(1));
            runner.withPropertyValues("allocation.redis.enabled=true")
                    .withBean(DataRedisConnectionDetails.class, () -> details(null, null, server.getHost(),
                            server.getPort(), database))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(RedisBroker.class)).hasToString("Redis " + redis.url);
                    });
        }
    }

    @Test
    void the_url_of_boots_details_keeps_the_credentials_as_they_are() {
        assertThat(BootRedisUrl.Details.url(details("app", "p@ss:w/rd", "redis.example", 6380, 2)))
                .isEqualTo("redis://app:p%40ss%3Aw%2Frd@redis.example:6380/2");
        assertThat(BootRedisUrl.Details.url(details(null, "secret", "::1", 6379, 0)))
                .isEqualTo("redis://:secret@[::1]:6379");
        assertThat(BootRedisUrl.hasSslBundle(new Object() {
            public Object getSslBundle() {
                return "a bundle";
            }
        })).as("an SSL bundle, where either Boot line has it").isTrue();
        assertThat(BootRedisUrl.hasSslBundle(details(null, null, "redis.example", 6379, 0))).isFalse();
    }

    private static DataRedisConnectionDetails details(String user, String password, String host, int port,
                                                      int database) {
        return new DataRedisConnectionDetails() {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public Standalone getStandalone() {
                return Standalone.of(host, port, database);
            }
        };
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
