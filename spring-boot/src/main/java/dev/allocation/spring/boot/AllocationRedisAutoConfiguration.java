package dev.allocation.spring.boot;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.AllocationService;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The book's Redis integration, as the service wires it, once {@code allocation.redis.url} is set (or
 * {@code allocation.redis.enabled=true}: the server of the application's own Redis connection details) and
 * {@code allocation-adapters-redis} is on the class path: a {@link RedisBroker}, the outbox's events
 * published to it (unless the application has its own {@link EventPublisher}; to Kafka as well when that
 * is configured too), and the {@code change_batch_quantity} consumers ({@link AllocationRedisConsumers}),
 * run by one instance at a time.
 */
@AutoConfiguration(before = AllocationAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisBroker.class)
@Conditional(AllocationRedisAutoConfiguration.Wanted.class)
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
public class AllocationRedisAutoConfiguration {

    /** {@code allocation.redis.url}, else the server of the application's Redis connection details. */
    @Bean
    @ConditionalOnMissingBean
    RedisBroker allocationRedisBroker(AllocationProperties properties, ListableBeanFactory beans) {
        String url = properties.getRedis().getUrl();
        return RedisBroker.connect(url != null && !url.isBlank() ? url : BootRedisUrl.of(beans));
    }

    /** Where the outbox's events go, and the {@code redis} detail of health. */
    @Bean
    Broker allocationRedis(RedisBroker redis) {
        return new Broker("redis", redis.publisher(), redis::answers);
    }

    @Bean
    @ConditionalOnMissingBean
    AllocationRedisConsumers allocationRedisConsumers(RedisBroker redis, ObjectProvider<AllocationService> service,
                                                      AllocationProperties properties) {
        return new AllocationRedisConsumers(redis, service, properties.getRedis().getStreamClaimIdle());
    }

    /** {@code allocation.redis.url} set, or {@code allocation.redis.enabled=true}. */
    static final class Wanted extends AnyNestedCondition {

        Wanted() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "allocation.redis.url")
        static final class Url {
        }

        @ConditionalOnBooleanProperty("allocation.redis.enabled")
        static final class Enabled {
        }
    }
}
