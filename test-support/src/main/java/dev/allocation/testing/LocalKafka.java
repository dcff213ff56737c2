package dev.allocation.testing;

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
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka broker for every test of this JVM, started at first use and stopped at exit: a single KRaft
 * node in process, broker and controller at once, on free ports of 127.0.0.1, its log in a temporary
 * directory, as the released {@code kafka_2.13} artifact runs it (storage formatted with
 * {@link StorageTool}, then {@link KafkaRaftServer}). It takes a few seconds to start, so every test
 * class shares it; give each test topic names of its own.
 *
 * <p>A test that plays a broker's outage starts one of its own instead ({@link #startOwn}), which it may
 * {@link #stop()} and {@link #start()} again on the same ports and log, and closes.
 *
 * <p>It needs {@code org.apache.kafka:kafka_2.13} on the test class path (an optional dependency here).
 */
public final class LocalKafka implements AutoCloseable {

    private static LocalKafka instance;

    private final String bootstrapServers;
    private final Properties settings;
    private final Path logDir;
    private final boolean shared;
    private KafkaRaftServer server;

    private LocalKafka(int brokerPort, int advertisedPort, boolean shared) throws IOException {
        this.shared = shared;
        int controllerPort = freePort();
        logDir = Files.createTempDirectory("allocation-kafka-");
        settings = new Properties();
        settings.setProperty("process.roles", "broker,controller");
        settings.setProperty("node.id", "1");
        settings.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort);
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
        bootstrapServers = "127.0.0.1:" + advertisedPort;
        start();
    }

    /** The broker, started at the first call. */
    public static synchronized LocalKafka get() {
        if (instance == null) {
            try {
                int port = freePort();
                instance = new LocalKafka(port, port, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdownAndDelete, "local-kafka-stop"));
        }
        return instance;
    }

    /**
     * Creates the topics, {@code partitions} each, unless they exist, and returns once the broker serves
     * every partition of them as its leader. The controller answers the creation before the cluster's
     * metadata names a leader, and the metadata names it before the broker has taken the lead: a producer
     * that writes in between waits within its own delivery timeout, which on a busy machine may not be
     * long enough, and several writes in flight to a partition not yet led can be refused for good
     * (KAFKA-15591, fixed in Kafka 4.5): the first is refused, a later one appended, and the first's
     * retries are then out of sequence.
     */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(Stream.of(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                        .all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            awaitServed(admin, awaitLeaders(admin, List.of(names), Duration.ofSeconds(30)));
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The topics described, once every partition of them has a leader in the cluster's metadata. */
    private static Collection<TopicDescription> awaitLeaders(Admin admin, List<String> names, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                Collection<TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                        .get(10, TimeUnit.SECONDS).values();
                boolean led = topics.stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (led) {
                    return topics;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The partitions of " + names + " have no leader after " + within);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Asks every partition's leader for its latest offset, which only a broker leading the partition
     * answers; the admin client retries the refusals of a broker not leading it yet, within its own
     * timeout. Nothing is written.
     */
    private static void awaitServed(Admin admin, Collection<TopicDescription> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.forEach(topic -> topic.partitions().forEach(partition ->
                latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
    }

    /** An admin client of the broker; close it. */
    public Admin admin() {
        Properties settings = new Properties();
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(settings);
    }

    /**
     * A broker of the caller's own, on free ports, which it may stop and start again; close it. A few
     * seconds to start, like the shared one.
     */
    public static LocalKafka startOwn() {
        int port = freePort();
        return startOwn(port, port);
    }

    /**
     * {@link #startOwn()} listening on {@code port} and telling clients to reach it at {@code advertisedPort},
     * where a proxy in front of it forwards to {@code port}: so that every client connection goes through
     * the proxy, the ones the cluster's metadata names included.
     */
    public static LocalKafka startOwn(int port, int advertisedPort) {
        try {
            return new LocalKafka(port, advertisedPort, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the broker, as a cluster whose one broker shuts down: connections are closed and new ones refused
     * until {@link #start()}. Its log stays, with every record acknowledged. Only for a broker of one's own.
     */
    public synchronized void stop() {
        if (shared) {
            throw new IllegalStateException("The shared test broker stops at the JVM's exit: startOwn() one to stop");
        }
        shutdown();
    }

    /** Starts the broker again, after {@link #stop()}, on the same ports and log, and waits until it answers. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException(this + " runs already");
        }
        server = new KafkaRaftServer(new KafkaConfig(settings), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops a broker of one's own and deletes its log. */
    @Override
    public synchronized void close() {
        if (shared) {
            throw new IllegalStateException("The shared test broker stops at the JVM's exit");
        }
        shutdownAndDelete();
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The test broker did not come up", e);
        }
    }

    private void shutdown() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private synchronized void shutdownAndDelete() {
        shutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it some day
        }
    }

    /** A port free now on 127.0.0.1 (another process may take it before the broker binds it: unlikely here). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>} (the advertised port), for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String toString() {
        return "the test broker at " + bootstrapServers;
    }
}
