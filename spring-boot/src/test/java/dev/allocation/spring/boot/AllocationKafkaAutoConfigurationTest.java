package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.kafka.KafkaBroker;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.testing.LocalKafka;
import dev.allocation.testing.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Kafka integration on a broker started in this JVM ({@link LocalKafka}): an Allocate handled through
 * the bean reaches {@code line_allocated}, Kafka is a detail of health, and with Redis configured too the
 * event reaches both.
 */
class AllocationKafkaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AllocationRedisAutoConfiguration.class,
                    AllocationKafkaAutoConfiguration.class, AllocationAutoConfiguration.class,
                    AllocationHealthAutoConfiguration.class))
            .withPropertyValues("allocation.storage=memory");

    @Test
    void without_bootstrap_servers_or_the_adapter_no_kafka() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaBroker.class)
                .doesNotHaveBean(AllocationKafkaConsumers.class).doesNotHaveBean(Broker.class));
        runner.withPropertyValues("allocation.kafka.bootstrap-servers=127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader(KafkaBroker.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationKafkaConsumers.class));
    }

    @Test
    void a_client_property_that_contradicts_the_contract_fails_the_start() {
        runner.withPropertyValues("allocation.kafka.bootstrap-servers=127.0.0.1:1", "allocation.kafka.properties.acks=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("Kafka refuses its configuration")
                        .hasStackTraceContaining("acks"));
    }

    @Test
    void an_allocate_through_the_bean_reaches_line_allocated_and_health_shows_kafka() {
        LocalKafka kafka = kafka();
        runner.withPropertyValues("allocation.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "allocation.kafka.properties.client.id=shop-allocation").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(KafkaBroker.class);
            assertThat(context.getBean(AllocationKafkaConsumers.class).isRunning()).isTrue();
            try (KafkaConsumer<String, String> otherSystem = consumer(kafka)) {
                String sku = "sku-" + UUID.randomUUID();
                String order = "order-" + UUID.randomUUID();
                AllocationService service = context.getBean(AllocationService.class);
                service.handle(new CreateBatch("b-" + sku, sku, 10, null));
                service.handle(new Allocate(order, sku, 3));

                ConsumerRecord<String, String> allocated = recordAbout(otherSystem, order);
                assertThat(allocated.key()).isEqualTo(sku);
                assertThat(allocated.value()).isEqualTo("{\"orderid\":\"" + order + "\",\"sku\":\"" + sku
                        + "\",\"qty\":3,\"batchref\":\"b-" + sku + "\"}");
            }
            Health health = context.getBean("allocationHealthIndicator", HealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("kafka", "UP").doesNotContainKey("redis");
        });
    }

    @Test
    void with_redis_too_the_event_reaches_both_and_health_shows_both() {
        LocalRedis.requireRunning();
        LocalKafka kafka = kafka();
        try (LocalRedis redis = new LocalRedis()) {
            var onRedis = redis.listen(RedisBroker.LINE_ALLOCATED);
            runner.withPropertyValues("allocation.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "allocation.redis.url=" + redis.url).run(context -> {
                assertThat(context).hasNotFailed();
                try (KafkaConsumer<String, String> otherSystem = consumer(kafka)) {
                    String sku = "sku-" + UUID.randomUUID();
                    String order = "order-" + UUID.randomUUID();
                    AllocationService service = context.getBean(AllocationService.class);
                    service.handle(new CreateBatch("b-" + sku, sku, 10, null));
                    service.handle(new Allocate(order, sku, 3));

                    ConsumerRecord<String, String> onKafka = recordAbout(otherSystem, order);
                    assertThat(messageAbout(onRedis, order)).isEqualTo(onKafka.value());
                }
                Health health = context.getBean("allocationHealthIndicator", HealthIndicator.class).health(true);
                assertThat(health.getDetails()).containsEntry("redis", "UP").containsEntry("kafka", "UP");
            });
        }
    }

    private static LocalKafka kafka() {
        LocalKafka kafka = LocalKafka.get();
        kafka.createTopics(1, KafkaBroker.LINE_ALLOCATED, KafkaBroker.CHANGE_BATCH_QUANTITY,
                KafkaBroker.CHANGE_BATCH_QUANTITY_DEAD);
        return kafka;
    }

    private static KafkaConsumer<String, String> consumer(LocalKafka kafka) {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "other-system-" + UUID.randomUUID());
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(KafkaBroker.LINE_ALLOCATED));
        return consumer;
    }

    /** The first record about this order (the broker is shared by the JVM's tests). */
    /**
     * The first message on the channel about {@code order}, or null after 10 s: pub/sub channels are the whole
     * server's, and other runs on the shared Redis publish Allocated on this one too.
     */
    private static String messageAbout(BlockingQueue<String> channel, String order) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String message;
        while ((message = channel.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (message.contains("\"" + order + "\"")) {
                return message;
            }
        }
        return null;
    }

    private static ConsumerRecord<String, String> recordAbout(KafkaConsumer<String, String> consumer, String order) {
        List<ConsumerRecord<String, String>> about = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (record.value().contains(order)) {
                    about.add(record);
                }
            });
            return !about.isEmpty();
        });
        return about.get(0);
    }
}
