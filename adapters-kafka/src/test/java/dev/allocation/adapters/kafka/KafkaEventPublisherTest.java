package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher against the tests' broker ({@link LocalKafka}), read back by a consumer of the test's own. */
class KafkaEventPublisherTest {

    private final LocalKafka kafka = LocalKafka.get();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void an_allocated_event_is_a_record_keyed_by_its_sku_with_the_contract_s_value_and_headers() {
        kafka.createTopics(1, KafkaBroker.LINE_ALLOCATED);   // the contract's own name, here and nowhere else
        KafkaBroker broker = closing(KafkaBroker.connect(kafka.bootstrapServers, new Properties()));
        String sku = "LAMP/" + System.nanoTime();

        broker.publisher().publish("event-1", new Allocated("order-1", sku, 10, "batch-1"));
        broker.publisher().publish(new OutOfStock(sku));   // stays inside the service

        List<ConsumerRecord<String, String>> records = readAll(KafkaBroker.LINE_ALLOCATED, sku, 1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(record.key()).isEqualTo(sku);
        assertThat(record.value()).isEqualTo(
                "{\"orderid\":\"order-1\",\"sku\":\"" + sku + "\",\"qty\":10,\"batchref\":\"batch-1\"}");
        assertThat(header(record, "event_id")).isEqualTo("event-1");
        assertThat(header(record, "event_type")).isEqualTo("Allocated");
    }

    @Test
    void events_of_one_sku_arrive_in_the_order_they_were_published_with_their_ids() {
        Topics topics = kafka.topics("order", 3);
        KafkaBroker broker = closing(KafkaBroker.connect(kafka.bootstrapServers, new Properties(), topics));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(broker.publisher().publishAsync("e" + i, new Allocated("o" + i, "sku-" + (i % 2), 1, "b"))
                    .toCompletableFuture());
        }
        sent.forEach(CompletableFuture::join);

        List<ConsumerRecord<String, String>> records = readAll(topics.lineAllocated(), null, 20);
        assertThat(records.stream().filter(r -> r.key().equals("sku-0")).map(r -> header(r, "event_id")))
                .containsExactly("e0", "e2", "e4", "e6", "e8", "e10", "e12", "e14", "e16", "e18");
        assertThat(records.stream().filter(r -> r.key().equals("sku-1")).map(r -> header(r, "event_id")))
                .containsExactly("e1", "e3", "e5", "e7", "e9", "e11", "e13", "e15", "e17", "e19");
    }

    @Test
    void a_record_too_large_for_kafka_is_a_permanent_failure() {
        Topics topics = kafka.topics("too-large", 1);
        Properties small = new Properties();
        small.setProperty("max.request.size", "200");
        KafkaBroker broker = closing(KafkaBroker.connect(kafka.bootstrapServers, small, topics));

        assertThatThrownBy(() -> broker.publisher().publish("big", new Allocated("o", "sku", 1, "b".repeat(250))))
                .isInstanceOf(PermanentPublishFailure.class)
                .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
        broker.publisher().publish("small", new Allocated("o", "sku", 1, "b"));   // the next one goes
    }

    @Test
    void a_broker_that_does_not_answer_is_a_transient_failure_within_the_producer_s_bounds() {
        KafkaBroker broker = closing(KafkaBroker.connect("127.0.0.1:" + LocalKafka.freePort(), new Properties()));
        long start = System.nanoTime();

        assertThatThrownBy(() -> broker.publisher().publish("e1", new Allocated("o", "sku", 1, "b")))
                .isInstanceOf(TimeoutException.class)
                .isNotInstanceOf(PermanentPublishFailure.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThanOrEqualTo(KafkaBroker.MAX_BLOCK.plus(KafkaBroker.DELIVERY_TIMEOUT));
        assertThat(broker.isHealthy()).isFalse();
    }

    @Test
    void after_one_send_waited_in_vain_for_an_absent_broker_the_next_ones_fail_at_once() {
        KafkaBroker broker = closing(KafkaBroker.connect("127.0.0.1:" + LocalKafka.freePort(), new Properties()));
        CompletableFuture<Void> first = broker.publisher().publishAsync("e1", new Allocated("o", "a", 1, "b")).toCompletableFuture();
        long start = System.nanoTime();

        List<CompletableFuture<Void>> next = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            next.add(broker.publisher().publishAsync("n" + i, new Allocated("o", "sku" + i, 1, "b")).toCompletableFuture());
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(KafkaBroker.MAX_BLOCK);
        assertThat(first).isCompletedExceptionally();
        assertThat(next).allSatisfy(send -> assertThat(send).failsWithin(Duration.ZERO)
                .withThrowableThat().havingCause().isInstanceOf(TimeoutException.class));
    }

    @Test
    void the_broker_is_healthy_while_it_answers() {
        KafkaBroker broker = closing(KafkaBroker.connect(kafka.bootstrapServers, new Properties()));
        assertThat(broker.isHealthy()).isTrue();
    }

    @Test
    void an_extra_property_may_not_contradict_the_contract() {
        Properties weak = new Properties();
        weak.setProperty("acks", "1");
        assertThatThrownBy(() -> KafkaBroker.connect(kafka.bootstrapServers, weak))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The Kafka property acks is fixed at all, was 1");
    }

    private List<ConsumerRecord<String, String>> readAll(String topic, String key, int expected) {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key == null || key.equals(record.key())) {
                        records.add(record);
                    }
                });
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
