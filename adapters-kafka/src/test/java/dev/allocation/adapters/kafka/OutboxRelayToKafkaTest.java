package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The application's outbox relay, unchanged, draining an outbox (the in-memory store's) to the tests'
 * broker through {@link KafkaEventPublisher}: each committed allocation a record, in commit order per sku.
 */
class OutboxRelayToKafkaTest {

    private final LocalKafka kafka = LocalKafka.get();
    private final InMemoryStorage storage = new InMemoryStorage();

    @Test
    void the_relay_publishes_every_committed_allocation_once_in_commit_order_per_sku() {
        Topics topics = kafka.topics("relay", 3);
        List<String> skus = List.of("LAMP", "TABLE", "CHAIR");
        skus.forEach(sku -> commit(uow -> uow.products().add(new Product(sku, List.of(new Batch("b-" + sku, sku, 1000, null))))));
        for (int order = 1; order <= 10; order++) {
            for (String sku : skus) {
                String orderId = "o" + order;
                commit(uow -> uow.products().get(sku).orElseThrow().allocate(new OrderLine(orderId, sku, 1)));
            }
        }

        try (KafkaBroker broker = KafkaBroker.connect(kafka.bootstrapServers, new Properties(), topics)) {
            OutboxRelay relay = OutboxRelay.start(storage.outbox(), broker.publisher(), OutboxRelay.Settings.DEFAULT);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> storage.outbox().backlog(Instant.now()).pending() == 0);
            } finally {
                relay.close();
            }
        }

        List<ConsumerRecord<String, String>> records = readAll(topics.lineAllocated(), 30);
        for (String sku : skus) {
            assertThat(records.stream().filter(record -> record.key().equals(sku)).map(record -> record.value()))
                    .containsExactly(java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(order ->
                            "{\"orderid\":\"o" + order + "\",\"sku\":\"" + sku + "\",\"qty\":1,\"batchref\":\"b-" + sku + "\"}")
                            .toArray(String[]::new));
        }
        assertThat(records.stream().map(record -> new String(record.headers().lastHeader("event_id").value(),
                StandardCharsets.UTF_8)).distinct()).hasSize(30);
        assertThat(storage.outbox().backlog(Instant.now()).dead()).isZero();
    }

    private void commit(java.util.function.Consumer<UnitOfWork> change) {
        try (UnitOfWork uow = storage.start()) {
            change.accept(uow);
            uow.commit();
        }
    }

    private List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }
}
