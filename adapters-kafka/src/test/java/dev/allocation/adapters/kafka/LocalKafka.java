package dev.allocation.adapters.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka broker for every test of this JVM, started at first use and stopped at exit: a single KRaft
 * node in process, broker and controller at once, on free ports of 127.0.0.1, its log in a temporary
 * directory, as the released {@code kafka_2.13} artifact runs it (storage formatted with
 * {@link StorageTool}, then {@link KafkaRaftServer}). It takes a few seconds to start, so every test
 * class shares it, and each test takes topic names of its own ({@link #topics}).
 */
final class LocalKafka {

    private static LocalKafka instance;

    final String bootstrapServers;
    private final KafkaRaftServer server;
    private final Path logDir;

    private LocalKafka() throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        logDir = Files.createTempDirectory("allocation-kafka-");
        Properties settings = new Properties();
        settings.setProperty("process.roles", "broker,controller");
        settings.setProperty("node.id", "1");
        settings.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        settings.setProperty("controller.listener.names", "CONTROLLER");
        settings.setProperty("inter.broker.listener.name", "PLAINTEXT");
        settings.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.setProperty("log.dirs", logDir.toString());
        settings.setProperty("num.partitions", "1");
        settings.setProperty("offsets.topic.replication.factor", "1");
        settings.setProperty("offsets.topic.num.partitions", "1");
        settings.setProperty("transaction.state.log.replication.factor", "1");
        settings.setProperty("transaction.state.log.min.isr", "1");
        settings.setProperty("share.coordinator.state.topic.replication.factor", "1");
        settings.setProperty("share.coordinator.state.topic.min.isr", "1");
        settings.setProperty("group.initial.rebalance.delay.ms", "0");
        Path config = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            settings.store(out, "the tests' broker");
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "--config", config.toString(), "--cluster-id",
                org.apache.kafka.common.Uuid.randomUuid().toString(), "--ignore-formatted"},
                new PrintStream(said, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("Formatting the broker's storage failed: " + said.toString(StandardCharsets.UTF_8));
        }
        server = new KafkaRaftServer(new KafkaConfig(settings), Time.SYSTEM);
        server.startup();
        bootstrapServers = "127.0.0.1:" + brokerPort;
        awaitReady();
    }

    /** The broker, started at the first call. */
    static synchronized LocalKafka get() {
        if (instance == null) {
            try {
                instance = new LocalKafka();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "local-kafka-stop"));
        }
        return instance;
    }

    /** Names of the test's own, made from {@code test}; the topics are created with {@code partitions} each. */
    Topics topics(String test, int partitions) {
        String suffix = "." + test + "." + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(KafkaBroker.LINE_ALLOCATED + suffix, KafkaBroker.CHANGE_BATCH_QUANTITY + suffix,
                KafkaBroker.CHANGE_BATCH_QUANTITY_DEAD + suffix, KafkaBroker.GROUP + suffix);
        createTopics(partitions, topics.lineAllocated(), topics.changeBatchQuantity(), topics.changeBatchQuantityDead());
        return topics;
    }

    void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(Stream.of(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Admin admin() {
        Properties settings = new Properties();
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(settings);
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The test broker did not come up", e);
        }
    }

    private void stop() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it some day
        }
    }

    /** A port free now on 127.0.0.1 (another process may take it before the broker binds it: unlikely here). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "the test broker at " + bootstrapServers;
    }
}
