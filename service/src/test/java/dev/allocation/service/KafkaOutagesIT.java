package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.LoadClients.Line;
import dev.allocation.testing.ApiClient;
import dev.allocation.testing.LocalKafka;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.ObjectMapper;

/**
 * Kafka's failures under load, on PostgreSQL, with a broker of the class's own ({@link LocalKafka#startOwn})
 * that every client reaches through a {@link TcpProxy}:
 *
 * <ul>
 *   <li>the broker stopped and started again, and the broker cut off (the proxy holds every byte) for longer
 *       than the relay's retries, while 4 clients allocate on 4 skus: every command is acknowledged, and every
 *       acknowledged allocation ends on {@code line_allocated}, each sku's in the order of its commits (a
 *       record may come twice: at least once), with no event dead. The service runs in this JVM, its relay
 *       retrying every 0.2 to 0.5 s (the service has no option for it), so that the outages outlast many
 *       retries and the class stays short;</li>
 *   <li>two instances of the service as child processes consuming {@code change_batch_quantity}, one killed
 *       with {@code kill -9} mid-stream: the other finishes, every batch ends at its last record's quantity,
 *       and each batch's changes (recorded by a trigger of the test's own) follow its records' order.</li>
 * </ul>
 *
 * Skipped without a local PostgreSQL, unless {@code CI=true}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaOutagesIT {

    private static final String LINE_ALLOCATED = "line_allocated";
    private static final String CHANGE_BATCH_QUANTITY = "change_batch_quantity";
    /** Retries at most 0.5 s apart: an outage of 6 s outlasts 12 attempts and more. */
    private static final OutboxRelay.Settings QUICK_RELAY = OutboxRelay.Settings.DEFAULT.withBackoff(
            new Backoff(Duration.ofMillis(200), Duration.ofMillis(500)));

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TcpProxy proxy;
    private static LocalKafka kafka;

    @BeforeAll
    static void startTheBrokerBehindAProxy() {
        TestDatabases.requirePostgres();
        int port = LocalKafka.freePort();
        proxy = TcpProxy.to("127.0.0.1", port);
        kafka = LocalKafka.startOwn(port, proxy.port());
        kafka.createTopics(3, LINE_ALLOCATED);
        kafka.createTopics(4, CHANGE_BATCH_QUANTITY);
        kafka.createTopics(1, CHANGE_BATCH_QUANTITY + ".dead");
    }

    @AfterAll
    static void stopTheBroker() {
        if (kafka != null) {
            kafka.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void a_broker_stopped_and_started_again_under_load_loses_no_allocated_event_and_keeps_each_skus_order()
            throws Exception {
        List<String> skus = List.of("STOP-LAMP", "STOP-DESK", "STOP-SOFA", "STOP-RUG");
        try (TestDatabase database = TestDatabases.postgres();
             RunningService service = RunningService.start(onPostgresWithKafka(database), quickRelay())) {
            Outage outage = underLoad(service, skus, "stop", () -> {
                kafka.stop();
                LoadClients.pause(2_000);
                kafka.start();   // a few seconds more, under load
            });

            outage.assertEveryAcknowledgedAllocationOnTheTopicInCommitOrder(database, skus);
            String metrics = new ApiClient(service.port()).get("/metrics").body();
            assertThat(metrics).as("Kafka's own client figures on /metrics")
                    .contains("kafka_producer_record_send_total", "kafka_consumer_");
        }
    }

    @Test
    void a_broker_cut_off_for_longer_than_the_relays_retries_makes_no_event_dead_and_loses_none() throws Exception {
        List<String> skus = List.of("AWAY-LAMP", "AWAY-DESK", "AWAY-SOFA", "AWAY-RUG");
        try (TestDatabase database = TestDatabases.postgres();
             RunningService service = RunningService.start(onPostgresWithKafka(database), quickRelay())) {
            ApiClient api = new ApiClient(service.port());
            List<String> readiness = new ArrayList<>();
            Outage outage = underLoad(service, skus, "away", () -> {
                proxy.blackHole();   // connections stay open, nothing goes through: no answer, no refusal
                try {
                    LoadClients.pause(6_000);   // past the producer's own bounds (4.5 s) and 12 retries and more
                    var ready = api.get("/health/ready");
                    readiness.add(ready.statusCode() + " " + ready.body());
                } finally {
                    proxy.accept();
                }
            });

            assertThat(readiness).as("readiness while Kafka is away: ready, Kafka down")
                    .singleElement().asString().startsWith("200").contains("\"kafka\":\"down\"");
            outage.assertEveryAcknowledgedAllocationOnTheTopicInCommitOrder(database, skus);
        }
    }

    @Test
    void a_consumer_instance_killed_mid_stream_leaves_the_other_to_finish_every_batch_in_order() throws Exception {
        int batches = 12;
        int changesEach = 30;
        try (TestDatabase database = TestDatabases.postgres()) {
            List<String> options = List.of("--db-url", database.url(), "--db-user", database.user(),
                    "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                    "--kafka-properties", quickGroupProperties().toString());
            Map<String, String> environment = database.password() == null ? Map.of()
                    : Map.of("ALLOCATION_DB_PASSWORD", database.password());
            CompletableFuture<ServiceProcess> starting = CompletableFuture.supplyAsync(() ->
                    ServiceProcess.start("kafka-consumer-finishing", options, environment));   // both at once
            ServiceProcess killed;
            try {
                killed = ServiceProcess.start("kafka-consumer-killed", options, environment);
            } catch (RuntimeException e) {
                starting.thenAccept(ServiceProcess::close);
                throw e;
            }
            try (ServiceProcess first = killed; ServiceProcess second = starting.join()) {
                String run = UUID.randomUUID().toString().substring(0, 8);
                List<String> refs = new ArrayList<>();
                ApiClient api = new ApiClient(first.port());
                for (int b = 0; b < batches; b++) {
                    refs.add("batch-" + run + "-" + b);
                    assertThat(api.addBatch(refs.get(b), "KILL-" + run + "-" + b, 1_000, null).statusCode())
                            .isEqualTo(201);
                }
                recordQuantityChanges(database);

                Thread producing = new Thread(() -> produceChanges(refs, changesEach), "change-producer");
                producing.start();
                int total = batches * changesEach;
                awaitTrue("a quarter of the changes applied", Duration.ofSeconds(30),
                        () -> changesApplied(database) >= total / 4);
                first.kill();
                int appliedAtTheKill = changesApplied(database);
                producing.join(30_000);

                Map<String, Integer> expected = new HashMap<>();
                refs.forEach(ref -> expected.put(ref, 1_000 + changesEach));
                awaitTrue("every batch at its last record's quantity " + expected, Duration.ofSeconds(45),
                        () -> expected.equals(quantities(database, refs)));
                Map<String, List<Integer>> history = history(database);
                int repeats = 0;
                for (String ref : refs) {
                    repeats += assertInOrder(ref, history.get(ref), changesEach);
                }
                System.out.printf("[kafka consumer kill -9] %d changes, %d applied when one instance was killed,"
                        + " %d applications in all, %d batches had a record applied again%n", total,
                        appliedAtTheKill, history.values().stream().mapToInt(List::size).sum(), repeats);
                assertThat(appliedAtTheKill).as("killed mid-stream").isBetween(1, total - 1);
                assertThat(first.logLines(line -> line.contains("Handled ChangeBatchQuantity")))
                        .as("records the killed instance handled").isNotEmpty();
                assertThat(second.isAlive()).isTrue();
                assertThat(quantities(database, refs)).as("every batch at its last record's quantity")
                        .isEqualTo(expected);
            }
        }
    }

    /** What the load clients got, and where the service keeps its commits. */
    private record Outage(LoadClients.Result load, String prefix, RunningService service) {

        /**
         * Every command acknowledged; every acknowledged allocation on {@code line_allocated}; each sku's
         * allocations there, first deliveries, in the order the store committed them; nothing pending or dead.
         */
        void assertEveryAcknowledgedAllocationOnTheTopicInCommitOrder(TestDatabase database, List<String> skus)
                throws Exception {
            assertThat(load.statuses()).as("every command answered 202, the broker's outage notwithstanding")
                    .containsOnlyKeys(202);
            Map<String, List<String>> onTheTopic = new HashMap<>();
            int[] deliveries = new int[1];
            try (KafkaConsumer<String, String> reader = reader()) {
                BooleanSupplier allThere = () -> {
                    for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                        String order = orderOf(record.value());
                        if (order.startsWith(prefix + "-")) {
                            deliveries[0]++;
                            List<String> orders = onTheTopic.computeIfAbsent(record.key(), sku -> new ArrayList<>());
                            if (!orders.contains(order)) {
                                orders.add(order);
                            }
                        }
                    }
                    return load.acknowledged().stream().allMatch(line ->
                            onTheTopic.getOrDefault(line.sku(), List.of()).contains(line.orderId()))
                            && outbox("pending") == 0;
                };
                awaitTrue("every acknowledged allocation on line_allocated, nothing pending", Duration.ofSeconds(45),
                        allThere);
            }
            int published = onTheTopic.values().stream().mapToInt(List::size).sum();
            System.out.printf("[kafka %s] clients: %s; on line_allocated: %d allocations, %d deliveries%n", prefix,
                    load, published, deliveries[0]);
            assertThat(outbox("dead")).as("events set aside as dead").isZero();
            Map<String, List<String>> committed = committedOrder(database);
            for (String sku : skus) {
                assertThat(onTheTopic.get(sku)).as("%s on line_allocated, all of it, in the order of its commits", sku)
                        .isEqualTo(committed.get(sku));
            }
            assertThat(load.acknowledged()).extracting(Line::orderId).allSatisfy(order ->
                    assertThat(committed.values().stream().anyMatch(orders -> orders.contains(order))).isTrue());
        }

        private int outbox(String figure) {
            return ApiClient.json(new ApiClient(service.adminPort()).send("GET", "/outbox", null)).path(figure).asInt();
        }
    }

    /**
     * Starts 4 clients allocating on {@code skus}, lets them work, plays {@code outage}, lets them work a
     * second more, and stops them.
     */
    private static Outage underLoad(RunningService service, List<String> skus, String prefix, Runnable outage) {
        for (String sku : skus) {
            assertThat(new ApiClient(service.port()).addBatch(sku + "-stock", sku, 1_000_000, null).statusCode())
                    .isEqualTo(201);
        }
        LoadClients clients = LoadClients.start(service.port(), 4, skus, prefix);
        clients.awaitAcknowledged(50, Duration.ofSeconds(30));
        outage.run();
        LoadClients.pause(1_000);
        return new Outage(clients.stop(), prefix, service);
    }

    private static ServiceConfig onPostgresWithKafka(TestDatabase database) {
        return new ServiceConfig("127.0.0.1", 0, false, Optional.of(database.url()), Optional.ofNullable(database.user()),
                Optional.ofNullable(database.password()), Path.of("data"), Optional.empty(),
                Optional.of(new ServiceConfig.Kafka(kafka.bootstrapServers(), Map.of())), "127.0.0.1", 0,
                Optional.empty(), false, ServiceConfig.Operations.DEFAULTS);
    }

    private static Bootstrap.Builder quickRelay() {
        return Bootstrap.builder().outboxRelay(QUICK_RELAY);
    }

    /**
     * The consumers' properties file: a member that dies leaves the group after 6 s (the broker's least),
     * not Kafka's default 45 s.
     */
    private static Path quickGroupProperties() throws IOException {
        Path file = Files.createTempFile("kafka-outages-", ".properties");
        file.toFile().deleteOnExit();
        Files.writeString(file, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        return file;
    }

    /** Records every change of a batch's purchased quantity, in the order the changes commit. */
    private static void recordQuantityChanges(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE quantity_changes (id BIGSERIAL PRIMARY KEY, reference TEXT, qty INT)");
            statement.execute("""
                    CREATE FUNCTION record_quantity_change() RETURNS trigger AS $$
                    BEGIN
                        INSERT INTO quantity_changes (reference, qty) VALUES (NEW.reference, NEW.purchased_quantity);
                        RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            statement.execute("""
                    CREATE TRIGGER quantity_change AFTER UPDATE OF purchased_quantity ON batches FOR EACH ROW
                    WHEN (OLD.purchased_quantity IS DISTINCT FROM NEW.purchased_quantity)
                    EXECUTE FUNCTION record_quantity_change()""");
        }
    }

    /**
     * Produces {@code changesEach} records for every batch, round after round across the batches, at a steady
     * pace (so that the stream is still flowing when an instance dies): record {@code i} of a batch sets its
     * quantity to {@code 1001 + i}.
     */
    private static void produceChanges(List<String> refs, int changesEach) {
        Properties settings = new Properties();
        settings.setProperty("bootstrap.servers", kafka.bootstrapServers());
        settings.setProperty("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < changesEach; i++) {
                for (String ref : refs) {
                    producer.send(new ProducerRecord<>(CHANGE_BATCH_QUANTITY, ref,
                            "{\"batchref\": \"" + ref + "\", \"qty\": " + (1_001 + i) + "}"));
                }
                producer.flush();
                LoadClients.pause(100);
            }
        }
    }

    /**
     * Checks one batch's changes against its records: the first is record 0, each next one is the record
     * after, or the same record once more (the one a killed instance handled but had not committed yet,
     * handled again by the next owner of the partition), at most once; none is skipped, and none goes back
     * to an earlier record; the last is the last record.
     *
     * @return 1 when a record was applied again, else 0
     */
    private static int assertInOrder(String ref, List<Integer> quantities, int changesEach) {
        assertThat(quantities).as("the changes of %s", ref).isNotEmpty();
        List<Integer> records = quantities.stream().map(qty -> qty - 1_001).toList();
        int repeats = 0;
        int previous = -1;
        for (int record : records) {
            if (record == previous) {
                repeats++;
            } else {
                assertThat(record).as("%s's changes %s: after record %d came record %d, a record skipped, out of"
                        + " order, or older after newer", ref, records, previous, record).isEqualTo(previous + 1);
            }
            previous = record;
        }
        assertThat(repeats).as("%s's changes %s applied a record again more than once", ref, records)
                .isLessThanOrEqualTo(1);
        assertThat(previous).as("%s's last change", ref).isEqualTo(changesEach - 1);
        return repeats;
    }

    private static int changesApplied(TestDatabase database) {
        return query(database, "SELECT count(*) FROM quantity_changes", rows -> rows.next() ? rows.getInt(1) : 0);
    }

    private static Map<String, Integer> quantities(TestDatabase database, List<String> refs) {
        return query(database, "SELECT reference, purchased_quantity FROM batches", rows -> {
            Map<String, Integer> quantities = new HashMap<>();
            while (rows.next()) {
                if (refs.contains(rows.getString(1))) {
                    quantities.put(rows.getString(1), rows.getInt(2));
                }
            }
            return quantities;
        });
    }

    private static Map<String, List<Integer>> history(TestDatabase database) {
        return query(database, "SELECT reference, qty FROM quantity_changes ORDER BY id", rows -> {
            Map<String, List<Integer>> history = new LinkedHashMap<>();
            while (rows.next()) {
                history.computeIfAbsent(rows.getString(1), ref -> new ArrayList<>()).add(rows.getInt(2));
            }
            return history;
        });
    }

    /** Each sku's orders in the order the store committed them ({@code allocations.id}). */
    private static Map<String, List<String>> committedOrder(TestDatabase database) {
        return query(database, "SELECT sku, orderid FROM allocations ORDER BY id", rows -> {
            Map<String, List<String>> committed = new HashMap<>();
            while (rows.next()) {
                committed.computeIfAbsent(rows.getString(1), sku -> new ArrayList<>()).add(rows.getString(2));
            }
            return committed;
        });
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> T query(TestDatabase database, String sql, Rows<T> read) {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return read.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A reader of {@code line_allocated} from its beginning, in a group of its own. */
    private static KafkaConsumer<String, String> reader() {
        Properties settings = new Properties();
        settings.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "outages-reader-" + UUID.randomUUID());
        settings.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> reader = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer());
        reader.subscribe(List.of(LINE_ALLOCATED));
        return reader;
    }

    private static String orderOf(String value) {
        return JSON.readTree(value).path("orderid").asString();
    }

    private static void awaitTrue(String what, Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not so within " + atMost + ": " + what);
            }
            LoadClients.pause(100);
        }
    }
}
