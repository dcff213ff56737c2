package dev.allocation.spring.boot;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.AllocationService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The book's Redis integration, as the service wires it, once {@code allocation.redis.url} is set and
 * {@code allocation-adapters-redis} is on the class path: a {@link RedisBroker}, the outbox's events
 * published to it (unless the application has its own {@link EventPublisher}; to Kafka as well when that
 * is configured too), and the {@code change_batch_quantity} consumers ({@link AllocationRedisConsumers}),
 * run by one instance at a time.
 */
@AutoConfiguration(before = AllocationAutoConfiguration.class)
@ConditionalOnClass(RedisBroker.class)
@ConditionalOnProperty(name = "allocation.redis.url")
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
public class AllocationRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisBroker allocationRedisBroker(AllocationProperties properties) {
        return RedisBroker.connect(properties.getRedis().getUrl());
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
}
