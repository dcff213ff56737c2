package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.adapters.kafka.KafkaBroker;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.*;
import dev.allocation.domain.events.Allocated;
import dev.allocation.testing.LocalKafka;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 9: the outbox relay to Kafka (topic {@code line_allocated}) on PostgreSQL, to a broker started in
 * this JVM ({@link LocalKafka}). Latency: Allocates at the relay scenario's steady rate over 100 skus, each
 * timed from its command being sent to its record arriving on the topic. Drain: the relay scenario's
 * backlog, relayed to Kafka by {@link RelayScenario#main} in a {@link ChildJvm} until none is pending.
 * Cost: Allocates of one thread through a service publishing to Kafka against the same publishing to
 * Redis, each in a schema of its own, interleaved.
 */
final class KafkaRelayScenario {

    record Result(int backlog, ChildJvm.Step drain, int rate, long measured, long p50Micros, long p99Micros,
                  long maxMicros, LoadResult withKafka, LoadResult withRedis) {
        double perSecond() {
            return backlog * 1000.0 / Math.max(1, drain.millis());
        }
    }

    private KafkaRelayScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        String servers = LocalKafka.get().bootstrapServers();
        LocalKafka.get().createTopics(8, KafkaBroker.LINE_ALLOCATED);
        fixture.service(Locking.OPTIMISTIC).close();   // brings the schema up
        Histogram latency = steadyLatency(fixture, servers, settings);
        int backlog = settings.relayBacklog();
        RelayScenario.record(fixture, backlog);
        ChildJvm.Step drain = ChildJvm.run(RelayScenario.class, fixture, backlog, servers).step("drain");
        try (KafkaBroker kafka = KafkaBroker.connect(servers, new Properties());
             RedisBroker redis = RedisBroker.connect(RelayScenario.REDIS);
             HikariDataSource kafkaPool = fixture.pool("with_kafka");
             HikariDataSource redisPool = fixture.pool("with_redis");
             AllocationService withKafka = Fixture.quietBuilder().jdbc(kafkaPool).eventPublisher(kafka.publisher()).build();
             AllocationService withRedis = Fixture.quietBuilder().jdbc(redisPool).eventPublisher(redis.publisher()).build()) {
            List<LoadResult> cost = LoadDriver.interleaved(List.of(
                    AllocateScenarios.variant(fixture, "Kafka publisher", withKafka, "with_kafka", false, settings.skus(), 1),
                    AllocateScenarios.variant(fixture, "Redis publisher", withRedis, "with_redis", false, settings.skus(), 1)),
                    settings, 2 * settings.rounds(), true, fixture::settle);
            return new Result(backlog, drain, settings.relayRate(), latency.getTotalCount(),
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(),
                    cost.get(0), cost.get(1));
        }
    }

    /**
     * The skus the steady Allocates go round. The relay publishes a sku's next event only once its last
     * was acknowledged (the outbox's order per sku), so one sku's events reach the topic at most one
     * acknowledgement apart, a few milliseconds with Kafka: a single sku at the steady rate would measure
     * that bound, not the relay.
     */
    private static final int STEADY_SKUS = 100;

    /**
     * Allocates at {@code relayRate()} per second over {@value #STEADY_SKUS} skus, one thread, and times each
     * event from the moment its command was sent to its record's arrival on the topic (so the command's own
     * time counts too).
     */
    private static Histogram steadyLatency(Fixture fixture, String servers, Settings settings) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(3);
        long total = (long) settings.relayRate() * settings.relayLatencySeconds();
        try (KafkaBroker broker = KafkaBroker.connect(servers, new Properties());
             AllocationService service = fixture.service(Locking.OPTIMISTIC, b -> b.eventPublisher(broker.publisher()));
             KafkaConsumer<String, String> consumer = consumer(servers)) {
            for (int sku = 0; sku < STEADY_SKUS; sku++) {
                service.handle(new CreateBatch("steady-kafka-" + sku, "STEADY-KAFKA-" + sku, 100_000_000, null));
            }
            // the producer's first send fetches the topic's metadata and its idempotent id: not the relay's latency
            broker.publisher().publish("warm-up", new Allocated("warm-up", "STEADY-KAFKA-0", 1, "steady-kafka-0"));
            Thread reader = new Thread(() -> read(consumer, sent, total, latency), "topic-reader");
            reader.start();
            RelayScenario.allocateSteadily(service, settings.relayRate(), total, "steady-kafka-",
                    i -> "STEADY-KAFKA-" + (i % STEADY_SKUS), sent);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            reader.interrupt();
            reader.join();
        }
        return latency;
    }

    /**
     * A consumer of every partition of the topic, from its end now, before any command is sent, whose
     * fetches return at once.
     */
    private static KafkaConsumer<String, String> consumer(String servers) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");   // the relay's latency, not this reader's
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(KafkaBroker.LINE_ALLOCATED).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);   // the end, resolved now
        return consumer;
    }

    /** Times every record against when its command was sent, until {@code total} were timed. */
    private static void read(KafkaConsumer<String, String> consumer, Map<String, Long> sent, long total,
                             Histogram latency) {
        while (!Thread.currentThread().isInterrupted() && latency.getTotalCount() < total) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            long now = System.nanoTime();
            for (ConsumerRecord<String, String> record : records) {
                int from = record.value().indexOf("\"orderid\":\"") + 11;
                Long at = sent.get(record.value().substring(from, record.value().indexOf('"', from)));
                if (at != null) {
                    latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - at)));
                }
            }
        }
    }
}
