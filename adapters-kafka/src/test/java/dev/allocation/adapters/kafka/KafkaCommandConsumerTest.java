package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.application.Backoff;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer against the tests' broker ({@link LocalKafka}), with topics and a group of each test's own,
 * fed and inspected by clients of the test's own.
 */
class KafkaCommandConsumerTest {

    /** Pauses short enough for a test to see a record fail {@value KafkaCommandConsumer#MAX_ATTEMPTS} times. */
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(10));

    private final LocalKafka kafka = LocalKafka.get();
    private final RecordingUseCases useCases = new RecordingUseCases();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;

    @AfterEach
    void close() throws Exception {
        useCases.slow.countDown();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void records_are_handled_in_order_and_their_offsets_committed() throws Exception {
        Topics topics = kafka.topics("in-order", 1);
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":10}");
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":5}");
        send(topics, "b2", "{\"batchref\":\"b2\",\"qty\":3}");

        consume(topics, useCases);

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 10));
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 5));
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b2", 3));
        awaitCommitted(topics, 0, 3);
    }

    @Test
    void an_offset_is_committed_only_once_its_record_was_handled() throws Exception {
        Topics topics = kafka.topics("commit-after", 1);
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":1}");
        send(topics, "slow-1", "{\"batchref\":\"slow-1\",\"qty\":2}");
        consume(topics, useCases);
        assertThat(useCases.slowEntered.await(20, TimeUnit.SECONDS)).isTrue();

        Thread.sleep(300);
        assertThat(committed(topics, 0)).isLessThan(2);   // the second record is being handled

        useCases.slow.countDown();
        awaitCommitted(topics, 0, 2);
        assertThat(useCases.handled).containsExactly(new ChangeBatchQuantity("b1", 1), new ChangeBatchQuantity("slow-1", 2));
    }

    @Test
    void refused_records_go_to_the_dead_topic_with_the_reason_and_the_next_record_is_applied() throws Exception {
        Topics topics = kafka.topics("refused", 1);
        send(topics, "b1", "{\"batchref\": \"b1\", \"qty\": ");
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":\"10\"}");
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":-1}");
        send(topics, "another", "{\"batchref\":\"b1\",\"qty\":1}");
        send(topics, "unknown-1", "{\"batchref\":\"unknown-1\",\"qty\":1}");
        producer().send(new ProducerRecord<>(topics.changeBatchQuantity(), bytes("b1"), new byte[] {'"', (byte) 0xC3, '"'})).get();
        send(topics, "b2", "{\"batchref\":\"b2\",\"qty\":3}");

        consume(topics, useCases);

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b2", 3));
        awaitCommitted(topics, 0, 7);
        List<ConsumerRecord<byte[], byte[]>> dead = read(topics.changeBatchQuantityDead(), 6);
        assertThat(dead).extracting(record -> text(record.key()))
                .containsExactly("b1", "b1", "b1", "another", "unknown-1", "b1");
        assertThat(text(dead.get(0).value())).isEqualTo("{\"batchref\": \"b1\", \"qty\": ");
        assertThat(dead.get(5).value()).isEqualTo(new byte[] {'"', (byte) 0xC3, '"'});
        assertThat(dead).extracting(record -> header(record, "error")).satisfiesExactly(
                error -> assertThat(error).startsWith("malformed: Malformed JSON"),
                error -> assertThat(error).isEqualTo("malformed: qty must be an integer, was a string (\"10\")"),
                error -> assertThat(error).isEqualTo("malformed: qty must not be negative, was -1"),
                error -> assertThat(error).isEqualTo("malformed: The key must be the batchref (\"b1\"), was \"another\""),
                error -> assertThat(error).contains("unknown-1"),
                error -> assertThat(error).isEqualTo("malformed: the value is not valid UTF-8 (byte 0xC3 at 1)"));
        assertThat(dead).extracting(record -> header(record, "offset")).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(useCases.handled).hasSize(0);
    }

    @Test
    void a_record_that_meets_the_storage_away_is_read_again_before_any_later_record_of_its_batch() throws Exception {
        Topics topics = kafka.topics("storage-away", 1);
        send(topics, "flaky-1", "{\"batchref\":\"flaky-1\",\"qty\":7}");
        send(topics, "flaky-1", "{\"batchref\":\"flaky-1\",\"qty\":8}");

        consume(topics, useCases);

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("flaky-1", 7));
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("flaky-1", 8));
        assertThat(useCases.outages).hasNegativeValue();   // both outages were met
        awaitCommitted(topics, 0, 2);
        assertThat(endOffset(topics.changeBatchQuantityDead())).isZero();
    }

    @Test
    void a_poison_record_is_set_aside_after_its_attempts_and_its_partition_goes_on() throws Exception {
        Topics topics = kafka.topics("poison", 1);
        send(topics, "poison-1", "{\"batchref\":\"poison-1\",\"qty\":1}");
        send(topics, "b3", "{\"batchref\":\"b3\",\"qty\":2}");

        consume(topics, useCases);

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b3", 2));
        assertThat(useCases.poisonAttempts).hasValue(KafkaCommandConsumer.MAX_ATTEMPTS);
        List<ConsumerRecord<byte[], byte[]>> dead = read(topics.changeBatchQuantityDead(), 1);
        assertThat(header(dead.get(0), "error")).startsWith("failed 20 times, last: java.lang.IllegalStateException");
    }

    @Test
    void a_consumer_started_again_resumes_after_the_committed_offsets_and_applies_nothing_twice() throws Exception {
        Topics topics = kafka.topics("restart", 1);
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":1}");
        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":2}");
        AutoCloseable first = consume(topics, useCases);
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 1));
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 2));
        long start = System.nanoTime();
        first.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(KafkaCommandConsumer.CLOSE_WITHIN);
        assertThat(committed(topics, 0)).isEqualTo(2);

        send(topics, "b1", "{\"batchref\":\"b1\",\"qty\":3}");
        RecordingUseCases next = new RecordingUseCases();
        consume(topics, next);

        assertThat(next.handled.poll(20, TimeUnit.SECONDS)).isEqualTo(new ChangeBatchQuantity("b1", 3));
        awaitCommitted(topics, 0, 3);
        assertThat(next.handled).isEmpty();
    }

    @Test
    void across_rebalances_each_batch_s_records_are_applied_once_and_in_order() throws Exception {
        Topics topics = kafka.topics("rebalance", 2);
        List<String> batches = List.of("r0", "r1", "r2", "r3", "r4", "r5");
        int perBatch = 30;
        RecordingUseCases other = new RecordingUseCases(useCases.handled);
        AutoCloseable first = consume(topics, useCases);
        for (int qty = 1; qty <= perBatch; qty++) {
            for (String batch : batches) {
                send(topics, batch, "{\"batchref\":\"" + batch + "\",\"qty\":" + qty + "}");
            }
            if (qty == 10) {
                consume(topics, other);   // the group shares the partitions: a rebalance
            } else if (qty == 20) {
                first.close();                        // its partitions go to the other member: another
            }
            Thread.sleep(20);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> useCases.handled.size() >= batches.size() * perBatch);
        Map<String, List<Integer>> applied = useCases.handled.stream().map(ChangeBatchQuantity.class::cast)
                .collect(Collectors.groupingBy(ChangeBatchQuantity::ref,
                        Collectors.mapping(ChangeBatchQuantity::qty, Collectors.toList())));
        List<Integer> all = java.util.stream.IntStream.rangeClosed(1, perBatch).boxed().toList();
        assertThat(applied).containsOnlyKeys(batches);
        applied.values().forEach(quantities -> assertThat(quantities).isEqualTo(all));
        assertThat(useCases.handledHere).hasPositiveValue();
        assertThat(other.handledHere).hasPositiveValue();
    }

    private AutoCloseable consume(Topics topics, RecordingUseCases useCases) {
        Properties extra = new Properties();
        // a record read again after a failure is fetched again: the broker need not hold the fetch 500 ms
        extra.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        KafkaBroker broker = KafkaBroker.connect(kafka.bootstrapServers, extra, topics);
        toClose.add(broker);
        return broker.consume(useCases, QUICK);
    }

    private Message nextHandled() throws InterruptedException {
        Message message = useCases.handled.poll(20, TimeUnit.SECONDS);
        assertThat(message).as("a message handled within 20 s").isNotNull();
        return message;
    }

    private void send(Topics topics, String key, String value) throws Exception {
        producer().send(new ProducerRecord<>(topics.changeBatchQuantity(), bytes(key), bytes(value))).get();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties settings = new Properties();
            settings.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
            producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private long committed(Topics topics, int partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(topics.group()).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(topics.changeBatchQuantity(), partition));
            return offset == null ? 0 : offset.offset();
        }
    }

    private void awaitCommitted(Topics topics, int partition, long offset) {
        await().atMost(Duration.ofSeconds(20)).until(() -> committed(topics, partition) >= offset);
    }

    private long endOffset(String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(10, TimeUnit.SECONDS).offset();
        }
    }

    /** Every record of {@code topic}, once {@code expected} arrived. */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return text(record.headers().lastHeader(name).value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
