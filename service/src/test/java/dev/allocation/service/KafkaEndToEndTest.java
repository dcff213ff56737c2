package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.testing.ApiClient;
import dev.allocation.testing.LocalKafka;
import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service with a Kafka broker started in the test JVM ({@link LocalKafka}), as the book's
 * {@code test_external_events.py} on Kafka's topics: a quantity change sent by another system reallocates
 * an order, and other systems hear of it on {@code line_allocated}; with Redis configured too, the event
 * reaches both.
 */
class KafkaEndToEndTest {

    private static final String LINE_ALLOCATED = "line_allocated";
    private static final String CHANGE_BATCH_QUANTITY = "change_batch_quantity";

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();
    private final LocalKafka kafka = LocalKafka.get();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void a_change_of_batch_quantity_from_kafka_reallocates_the_order_and_line_allocated_tells_kafka() {
        kafka.createTopics(1, LINE_ALLOCATED, CHANGE_BATCH_QUANTITY, CHANGE_BATCH_QUANTITY + ".dead");
        RunningService service = open(RunningService.start(TestConfigs.inMemoryWithKafka(kafka.bootstrapServers(), null),
                Bootstrap.builder()));
        ApiClient api = new ApiClient(service.port());
        KafkaConsumer<String, String> otherSystem = open(consumer());
        String sku = "sku-" + UUID.randomUUID();
        String earlier = "early-" + UUID.randomUUID();
        String later = "later-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        api.addBatch(earlier, sku, 10, "2011-01-01");
        api.addBatch(later, sku, 10, "2011-01-02");
        assertThat(api.allocate(order, sku, 10).statusCode()).isEqualTo(202);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientSettings(), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(CHANGE_BATCH_QUANTITY, earlier,
                    "{\"batchref\": \"" + earlier + "\", \"qty\": 5}"));
        }

        List<ConsumerRecord<String, String>> allocated = recordsAbout(otherSystem, order, 2);
        assertThat(allocated).extracting(ConsumerRecord::value).containsExactly(
                "{\"orderid\":\"" + order + "\",\"sku\":\"" + sku + "\",\"qty\":10,\"batchref\":\"" + earlier + "\"}",
                "{\"orderid\":\"" + order + "\",\"sku\":\"" + sku + "\",\"qty\":10,\"batchref\":\"" + later + "\"}");
        assertThat(allocated).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(sku);
            assertThat(header(record, "event_type")).isEqualTo("Allocated");
        });
        assertThat(header(allocated.get(0), "event_id")).isNotBlank().isNotEqualTo(header(allocated.get(1), "event_id"));
        assertThat(api.allocations(order).body()).contains("\"batchref\":\"" + later + "\"");
        assertThat(api.get("/health/ready").body()).contains("\"kafka\":\"up\"");
        assertThat(service.description()).contains("broker: Kafka " + kafka.bootstrapServers());
    }

    @Test
    void with_redis_and_kafka_both_configured_each_event_reaches_both_with_one_event_id() throws Exception {
        kafka.createTopics(1, LINE_ALLOCATED, CHANGE_BATCH_QUANTITY, CHANGE_BATCH_QUANTITY + ".dead");
        LocalRedis redis = redisPerTest.local();
        BlockingQueue<String> onRedis = redis.listen(LINE_ALLOCATED);
        RunningService service = open(RunningService.start(
                TestConfigs.inMemoryWithKafka(kafka.bootstrapServers(), redis.url), Bootstrap.builder()));
        ApiClient api = new ApiClient(service.port());
        KafkaConsumer<String, String> otherSystem = open(consumer());
        String sku = "sku-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        api.addBatch("b-" + sku, sku, 10, null);

        api.allocate(order, sku, 3);

        ConsumerRecord<String, String> onKafka = recordsAbout(otherSystem, order, 1).get(0);
        String published = aboutOrder(onRedis, order);   // pub/sub channels are the whole server's: others publish too
        assertThat(published).isEqualTo(onKafka.value());
        Map<String, String> entry = redis.commands().xrange(LINE_ALLOCATED, io.lettuce.core.Range.create("-", "+"))
                .get(0).getBody();
        assertThat(entry).containsEntry("orderid", order).containsEntry("event_id", header(onKafka, "event_id"));
        assertThat(api.get("/health/ready").body()).contains("\"redis\":\"up\"", "\"kafka\":\"up\"");
    }

    /** The first message on the channel about {@code order}, waiting at most 10 s; null when none came. */
    private static String aboutOrder(BlockingQueue<String> channel, String order) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            String message = channel.poll(left, TimeUnit.NANOSECONDS);
            if (message != null && message.contains("\"" + order + "\"")) {
                return message;
            }
        }
        return null;
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private KafkaConsumer<String, String> consumer() {
        Properties settings = clientSettings();
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "other-system-" + UUID.randomUUID());
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(LINE_ALLOCATED));
        return consumer;
    }

    private Properties clientSettings() {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return settings;
    }

    /** The first {@code count} records about this order (the broker is shared by the JVM's tests). */
    private static List<ConsumerRecord<String, String>> recordsAbout(KafkaConsumer<String, String> consumer,
                                                                     String order, int count) {
        List<ConsumerRecord<String, String>> about = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (record.value().contains(order)) {
                    about.add(record);
                }
            });
            return about.size() >= count;
        });
        return about.subList(0, count);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
