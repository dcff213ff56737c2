package dev.allocation.adapters.kafka;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.Backoff;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the Kafka cluster that carries the service's integration events: one producer (for the
 * outbox's events and for dead letters), an admin client for the health check, and any number of consumers.
 * The clients reconnect by themselves when brokers come and go.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.connect("localhost:9092", new Properties())) {
 *     AllocationService service = Bootstrap.builder().eventPublisher(kafka.publisher()).build();
 *     kafka.consume(service);   // change_batch_quantity → ChangeBatchQuantity
 *     ...
 * }
 * }</pre>
 *
 * The extra properties reach every client: what a real cluster needs ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, {@code client.id}, ...). The settings the contract rests on are fixed
 * ({@link #FIXED}): extra properties that contradict them are refused.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Where every {@code Allocated} goes: key the sku, value {@code {"orderid","sku","qty","batchref"}}. */
    public static final String LINE_ALLOCATED = "line_allocated";

    /** Where other systems send {@code {"batchref","qty"}}, keyed by the batch reference, to change a batch's quantity. */
    public static final String CHANGE_BATCH_QUANTITY = "change_batch_quantity";

    /** Where refused records of {@value #CHANGE_BATCH_QUANTITY} go, with the header {@code error}. */
    public static final String CHANGE_BATCH_QUANTITY_DEAD = CHANGE_BATCH_QUANTITY + ".dead";

    /** The consumer group every instance reads {@value #CHANGE_BATCH_QUANTITY} in. */
    public static final String GROUP = "allocation";

    /**
     * How long a send may wait for the cluster's metadata or for buffer space ({@code max.block.ms}), and
     * how long for the acknowledgement after that ({@code delivery.timeout.ms}): 4.5 s in all, within half
     * the outbox relay's default lease (10 s), since the relay starts no round of publishes past half its
     * lease and a publish must end before the lease does.
     */
    static final Duration MAX_BLOCK = Duration.ofMillis(1500);
    static final Duration DELIVERY_TIMEOUT = Duration.ofMillis(3000);

    /** The settings the contract rests on; an extra property may repeat one, never contradict it. */
    static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
            Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK.toMillis())),
            Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(DELIVERY_TIMEOUT.toMillis())),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()),
            Map.entry(ConsumerConfig.GROUP_ID_CONFIG, GROUP),
            Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
            Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()),
            Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    /** What {@link #connect(String, Properties)} hands each client to: nothing. */
    private static final Function<Closeable, AutoCloseable> NO_METRICS = client -> () -> { };

    private final Properties common;
    private final Topics topics;
    private final Function<? super Closeable, ? extends AutoCloseable> clientMetrics;
    private final Producer<byte[], byte[]> producer;
    private final AutoCloseable producerMetrics;
    private final Admin admin;
    private final KafkaEventPublisher publisher;
    private final List<AutoCloseable> consumers = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Boolean>> check = new AtomicReference<>();

    private KafkaBroker(Properties common, Topics topics, Function<? super Closeable, ? extends AutoCloseable> clientMetrics) {
        this.common = common;
        this.topics = topics;
        this.clientMetrics = clientMetrics;
        Properties producerSettings = new Properties();
        producerSettings.putAll(common);
        producerSettings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "allocation");
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK.toMillis()));
        producerSettings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(DELIVERY_TIMEOUT.toMillis()));
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms
        producerSettings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2500");
        // the relay publishes a sku's next event only once its last is acknowledged: no wait for a batch to
        // fill; the events of many skus, sent at once, share requests all the same
        producerSettings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            Properties adminSettings = new Properties();
            adminSettings.putAll(common);
            adminSettings.remove(ProducerConfig.CLIENT_ID_CONFIG);   // the producer's id; the admin makes its own
            this.admin = Admin.create(adminSettings);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        this.publisher = new KafkaEventPublisher(producer, topics.lineAllocated(), MAX_BLOCK);
        this.producerMetrics = metricsOf(producer);
    }

    /**
     * Connects to the Kafka cluster at {@code bootstrapServers} ({@code host:port[,host:port...]}). The
     * clients connect lazily and retry: a cluster away now is no error ({@link #isHealthy()} tells).
     *
     * @param extra properties for every client (security protocol, credentials, ...); none of {@link #FIXED}
     *              with another value
     * @throws IllegalArgumentException when {@code bootstrapServers} is blank, or an extra property contradicts
     *                                  a fixed one
     * @throws org.apache.kafka.common.KafkaException when the clients refuse their configuration (no
     *                                  resolvable bootstrap server, a bad property)
     */
    public static KafkaBroker connect(String bootstrapServers, Properties extra) {
        return connect(bootstrapServers, extra, Topics.CONTRACT, NO_METRICS);
    }

    /**
     * {@link #connect(String, Properties)}, with the figures Kafka's clients keep (requests, errors, latencies,
     * a consumer's lag) handed to a metrics backend: {@code clientMetrics} is given each client as it opens,
     * the producer here and the consumer of each {@link #consume}, as kafka-clients' {@code Producer} or
     * {@code Consumer}, and returns what stops watching it, closed after that client. It is
     * {@code allocation-micrometer}'s {@code AllocationMeters.kafka()}, as this module knows no metrics
     * library; should it fail, the client goes on without its figures (a warning says so).
     */
    public static KafkaBroker connect(String bootstrapServers, Properties extra,
                                      Function<? super Closeable, ? extends AutoCloseable> clientMetrics) {
        return connect(bootstrapServers, extra, Topics.CONTRACT, clientMetrics);
    }

    /** {@link #connect(String, Properties)} with other names than the contract's: for this module's tests. */
    static KafkaBroker connect(String bootstrapServers, Properties extra, Topics topics) {
        return connect(bootstrapServers, extra, topics, NO_METRICS);
    }

    /** {@link #connect(String, Properties, Function)} with other names than the contract's: for this module's tests. */
    static KafkaBroker connect(String bootstrapServers, Properties extra, Topics topics,
                               Function<? super Closeable, ? extends AutoCloseable> clientMetrics) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers must not be null");
        Objects.requireNonNull(extra, "extra must not be null");
        Objects.requireNonNull(clientMetrics, "clientMetrics must not be null");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        Properties common = new Properties();
        extra.stringPropertyNames().forEach(name -> {
            String value = extra.getProperty(name);
            String fixed = FIXED.get(name);
            if (fixed != null && !fixed.equals(value)) {
                throw new IllegalArgumentException("The Kafka property " + name + " is fixed at " + fixed + ", was " + value);
            }
            common.setProperty(name, value);
        });
        common.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaBroker(common, topics, clientMetrics);
    }

    /** The publisher of integration events, for {@code Bootstrap.builder().eventPublisher(..)}. */
    public KafkaEventPublisher publisher() {
        return publisher;
    }

    /**
     * Reads {@value #CHANGE_BATCH_QUANTITY} in the consumer group {@value #GROUP}, as a member of its own:
     * every record is handled by {@code useCases} as a {@code ChangeBatchQuantity} and its offset committed
     * after its unit of work committed; refused records go to {@value #CHANGE_BATCH_QUANTITY_DEAD}. Any
     * number of instances may consume at once: the group shares the partitions among them. Closed with this
     * broker, or before.
     */
    public AutoCloseable consume(AllocationUseCases useCases) {
        return consume(useCases, KafkaCommandConsumer.BACKOFF);
    }

    /** {@link #consume(AllocationUseCases)} pausing after a failed record as {@code backoff} says: for this module's tests. */
    AutoCloseable consume(AllocationUseCases useCases, Backoff backoff) {
        Objects.requireNonNull(useCases, "useCases must not be null");
        Properties settings = new Properties();
        settings.putAll(common);
        settings.remove(ProducerConfig.CLIENT_ID_CONFIG);   // one per member: the consumer makes its own
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, topics.group());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a group that never committed starts at the beginning: records sent before the first start are handled
        settings.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        AutoCloseable metrics = metricsOf(client);
        KafkaCommandConsumer consumer = new KafkaCommandConsumer(client, producer, DELIVERY_TIMEOUT.plus(MAX_BLOCK),
                useCases, topics, backoff);
        AutoCloseable member = () -> {
            consumer.close();
            closeQuietly(metrics);
        };
        consumers.add(member);
        return member;
    }

    /**
     * Whether the cluster answers now (its brokers described within a second): for a readiness check. While
     * it does not, events wait in the outbox and commands wait in their topic; nothing is lost.
     */
    public boolean isHealthy() {
        return answers().join();
    }

    /**
     * {@link #isHealthy()} without waiting, so that a caller can check Kafka and something else at once.
     * Checks asked for while one is in flight share its answer, so that probes never pile up behind a
     * cluster that does not answer. It never completes exceptionally.
     */
    public CompletableFuture<Boolean> answers() {
        return check.updateAndGet(running -> running != null && !running.isDone() ? running : describeCluster());
    }

    private CompletableFuture<Boolean> describeCluster() {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000)).nodes().toCompletionStage()
                    .toCompletableFuture().orTimeout(1, TimeUnit.SECONDS)
                    .handle((nodes, failure) -> failure == null && !nodes.isEmpty());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Closes the consumers (letting the records being handled finish), then the producer (sending what it holds) and the admin client. */
    @Override
    public void close() {
        consumers.forEach(KafkaBroker::closeQuietly);
        producer.close(DELIVERY_TIMEOUT);
        closeQuietly(producerMetrics);
        admin.close(Duration.ofSeconds(1));
    }

    /** Hands {@code client} to the metrics given to {@code connect}: what stops watching it, or nothing when they fail. */
    private AutoCloseable metricsOf(Closeable client) {
        try {
            AutoCloseable watching = clientMetrics.apply(client);
            return watching == null ? NO_METRICS.apply(client) : watching;
        } catch (RuntimeException | LinkageError e) {
            log.warn("The Kafka client {} goes without its metrics: {}", client.getClass().getSimpleName(), e.toString());
            return NO_METRICS.apply(client);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing {} failed: {}", closeable, e.toString());
        }
    }

    /** The bootstrap servers, without credentials. */
    @Override
    public String toString() {
        return "Kafka " + common.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
}
