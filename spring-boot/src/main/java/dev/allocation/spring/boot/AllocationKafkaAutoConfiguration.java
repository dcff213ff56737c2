package dev.allocation.spring.boot;

import dev.allocation.adapters.kafka.KafkaBroker;
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
 * The Kafka integration, as the service wires it, once {@code allocation.kafka.bootstrap-servers} is set and
 * {@code allocation-adapters-kafka} is on the class path: a {@link KafkaBroker} (its clients given
 * {@code allocation.kafka.properties.*}), the outbox's events produced to {@code line_allocated} (unless the
 * application has its own {@link EventPublisher}; to Redis as well when that is configured too), and
 * {@code change_batch_quantity} consumed in the consumer group {@code allocation}
 * ({@link AllocationKafkaConsumers}), which shares its partitions among the instances.
 */
@AutoConfiguration(before = AllocationAutoConfiguration.class)
@ConditionalOnClass(KafkaBroker.class)
@ConditionalOnProperty(name = "allocation.kafka.bootstrap-servers")
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
public class AllocationKafkaAutoConfiguration {

    /** Closed with its bean, after the service (which published through it) closed. */
    @Bean
    @ConditionalOnMissingBean
    KafkaBroker allocationKafkaBroker(AllocationProperties properties) {
        AllocationProperties.Kafka kafka = properties.getKafka();
        try {
            return KafkaBroker.connect(kafka.getBootstrapServers(), kafka.clientProperties());
        } catch (RuntimeException e) {   // IllegalArgumentException, or the clients' KafkaException
            throw new IllegalStateException("Kafka refuses its configuration (allocation.kafka.bootstrap-servers, "
                    + "allocation.kafka.properties.*): " + e.getMessage(), e);
        }
    }

    /** Where the outbox's events go, and the {@code kafka} detail of health. */
    @Bean
    Broker allocationKafka(KafkaBroker kafka) {
        return new Broker("kafka", kafka.publisher(), kafka::answers);
    }

    @Bean
    @ConditionalOnMissingBean
    AllocationKafkaConsumers allocationKafkaConsumers(KafkaBroker kafka, ObjectProvider<AllocationService> service) {
        return new AllocationKafkaConsumers(kafka, service);
    }
}
