package dev.allocation.adapters.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.Backoff;
import dev.allocation.application.InvalidSku;
import dev.allocation.application.MessageBusListener;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.testing.LocalKafka;
import dev.allocation.testing.LocalRedis;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The meters of a real service in memory, through its bus and its relay, in a simple registry; the meters
 * HikariCP, Lettuce and Kafka's clients record once handed over (Lettuce's against the local Redis, Kafka's
 * against {@link LocalKafka}); and the class without those libraries.
 */
class AllocationMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AllocationMeters meters = new AllocationMeters(registry);

    @Test
    void every_message_handled_is_timed_by_kind_type_and_outcome() {
        try (AllocationService service = Bootstrap.builder().inMemory().listener(meters)
                .notifications((to, message) -> { }).build()) {
            service.handle(new CreateBatch("b1", "LAMP", 2, null));
            service.handle(new Allocate("o1", "LAMP", 2));
            service.handle(new Allocate("o2", "LAMP", 1));   // out of stock: still a success
            assertThatThrownBy(() -> service.handle(new Allocate("o3", "NOPE", 1))).isInstanceOf(InvalidSku.class);
        }

        assertThat(timed("command", "CreateBatch", "success")).isEqualTo(1);
        assertThat(timed("command", "Allocate", "success")).isEqualTo(2);
        assertThat(timed("command", "Allocate", "refused")).isEqualTo(1);
        assertThat(timed("event", "Allocated", "success")).isEqualTo(1);
        assertThat(timed("event", "OutOfStock", "success")).isEqualTo(1);
        assertThat(registry.get(AllocationMeters.MESSAGES).tag("type", "Allocate").tag("outcome", "success").timer()
                .totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void conflicts_retried_contention_and_failing_event_handlers_are_counted_by_type() {
        meters.conflictRetried(new Allocate("o1", "HOT", 1), 1);
        meters.conflictRetried(new Allocate("o1", "HOT", 1), 2);
        meters.contentionExhausted(new Allocate("o1", "HOT", 1), 100);
        meters.eventHandlerFailed(new OutOfStock("HOT"), new IllegalStateException("mail down"), false);
        meters.eventHandlerFailed(new OutOfStock("HOT"), new IllegalStateException("mail down"), true);

        assertThat(registry.get(AllocationMeters.CONFLICTS_RETRIED).tag("type", "Allocate").counter().count()).isEqualTo(2);
        assertThat(registry.get(AllocationMeters.CONTENTION_EXHAUSTED).tag("type", "Allocate").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(AllocationMeters.EVENT_HANDLER_FAILURES).tag("type", "OutOfStock")
                .tag("given_up", "false").counter().count()).isEqualTo(1);
        assertThat(registry.get(AllocationMeters.EVENT_HANDLER_FAILURES).tag("type", "OutOfStock")
                .tag("given_up", "true").counter().count()).isEqualTo(1);
    }

    @Test
    void the_outbox_gauges_show_the_backlog_while_the_broker_is_away_and_after() throws Exception {
        CountDownLatch brokerBack = new CountDownLatch(1);
        OutboxRelay.Settings quick = OutboxRelay.Settings.DEFAULT.withBackoff(new Backoff(Duration.ofMillis(50),
                Duration.ofMillis(100)));
        try (AllocationService service = Bootstrap.builder().inMemory().outboxRelay(quick)
                .notifications((to, message) -> { })
                .eventPublisher(event -> {
                    if (brokerBack.getCount() > 0 && event instanceof Allocated) {
                        throw new IllegalStateException("broker away");
                    }
                }).build()) {
            meters.outbox(service.outbox());
            service.handle(new CreateBatch("b1", "LAMP", 10, null));
            service.handle(new Allocate("o1", "LAMP", 1));
            service.handle(new Allocate("o2", "LAMP", 1));

            Thread.sleep(AllocationMeters.BACKLOG_FRESHNESS.toMillis() + 100);
            assertThat(gauge(AllocationMeters.OUTBOX_PENDING)).isEqualTo(2);
            assertThat(gauge(AllocationMeters.OUTBOX_OLDEST_AGE)).isPositive();
            assertThat(gauge(AllocationMeters.OUTBOX_DEAD)).isZero();

            brokerBack.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gauge(AllocationMeters.OUTBOX_PENDING) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(gauge(AllocationMeters.OUTBOX_PENDING)).isZero();
            assertThat(gauge(AllocationMeters.OUTBOX_OLDEST_AGE)).isZero();
        }
    }

    @Test
    void the_broker_gauge_is_1_while_the_broker_answers_and_0_while_it_does_not() {
        AtomicBoolean answers = new AtomicBoolean(true);
        meters.broker("redis", answers::get);

        assertThat(registry.get(AllocationMeters.BROKER_UP).tag("broker", "redis").gauge().value()).isEqualTo(1);
        answers.set(false);
        assertThat(registry.get(AllocationMeters.BROKER_UP).tag("broker", "redis").gauge().value()).isEqualTo(0);
    }

    @Test
    void hikaris_own_pool_meters_land_in_the_registry() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:meters-" + UUID.randomUUID());
        config.setPoolName("allocation");
        config.setMetricsTrackerFactory(meters.hikari());
        try (HikariDataSource pool = new HikariDataSource(config); Connection connection = pool.getConnection()) {
            assertThat(registry.get("hikaricp.connections.active").tag("pool", "allocation").gauge().value())
                    .isEqualTo(1);
        }
    }

    @Test
    void lettuces_own_command_latencies_land_in_the_registry() {
        LocalRedis.requireRunning();
        ClientResources resources = ClientResources.builder().commandLatencyRecorder(meters.lettuce()).build();
        RedisClient client = RedisClient.create(resources, "redis://127.0.0.1:6379");
        try (var connection = client.connect()) {
            connection.sync().ping();
        } finally {
            client.shutdown();
            resources.shutdown();
        }

        assertThat(registry.get("lettuce.command.completion").tag("command", "PING").timer().count()).isEqualTo(1);
    }

    @Test
    void kafkas_own_client_figures_land_in_the_registry_until_the_client_is_let_go() throws Exception {
        LocalKafka kafka = LocalKafka.get();
        String topic = "meters-" + UUID.randomUUID();
        kafka.createTopics(1, topic);
        Properties settings = new Properties();
        settings.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "meters-producer");
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "meters-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            AutoCloseable producerMeters = meters.kafka().apply(producer);
            AutoCloseable consumerMeters = meters.kafka().apply(consumer);
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "LAMP".getBytes(StandardCharsets.UTF_8),
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))).get();
            }

            assertThat(registry.get("kafka.producer.record.send.total").tag("client.id", "meters-producer")
                    .functionCounter().count()).isEqualTo(3);
            assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").meters()).isNotEmpty();
            producerMeters.close();
            consumerMeters.close();
            assertThat(registry.find("kafka.producer.record.send.total").meters()).isEmpty();
            assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").meters()).isEmpty();
        }
        assertThatThrownBy(() -> meters.kafka().apply(() -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a Kafka producer or consumer");
    }

    @Test
    void the_class_loads_and_meters_without_lettuce_or_kafka_clients_on_the_class_path() throws Exception {
        URL[] classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> {
                    try {
                        return Path.of(entry).toUri().toURL();
                    } catch (java.net.MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toArray(URL[]::new);
        try (URLClassLoader withoutThem = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.lettuce.") || name.startsWith("org.apache.kafka.")) {
                    throw new ClassNotFoundException(name + " (hidden by the test)");
                }
                return super.loadClass(name, resolve);
            }
        }) {
            assertThatThrownBy(() -> withoutThem.loadClass("org.apache.kafka.clients.producer.Producer"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> registryType = withoutThem.loadClass(SimpleMeterRegistry.class.getName());
            Object registry = registryType.getConstructor().newInstance();
            Class<?> metersType = Class.forName(AllocationMeters.class.getName(), true, withoutThem);
            Object meters = metersType.getConstructor(withoutThem.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .newInstance(registry);
            // through the interface: reflecting on the class itself would resolve every signature, lettuce()'s too
            withoutThem.loadClass(MessageBusListener.class.getName())
                    .getMethod("conflictRetried", withoutThem.loadClass("dev.allocation.domain.Message"), int.class)
                    .invoke(meters, withoutThem.loadClass(Allocate.class.getName())
                            .getConstructor(String.class, String.class, int.class).newInstance("o1", "HOT", 1), 1);

            assertThat(metersType.getClassLoader()).isSameAs(withoutThem);
            assertThat(registryType.getMethod("getMetersAsString").invoke(registry).toString())
                    .contains(AllocationMeters.CONFLICTS_RETRIED);
        }
    }

    private long timed(String kind, String type, String outcome) {
        return registry.get(AllocationMeters.MESSAGES).tag("kind", kind).tag("type", type).tag("outcome", outcome)
                .timer().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
