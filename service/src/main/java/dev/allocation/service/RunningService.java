package dev.allocation.service;

import dev.allocation.adapters.http.AdminApi;
import dev.allocation.adapters.http.Health;
import dev.allocation.adapters.http.HttpApi;
import dev.allocation.adapters.http.HttpConfig;
import dev.allocation.adapters.micrometer.AllocationMeters;
import dev.allocation.adapters.kafka.KafkaBroker;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.outbox.Broadcast;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.ServiceConfig.UsageError;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service composed and running: the allocation service on its storage, its HTTP API, its admin API,
 * and (when configured) its Redis integration. {@link #close()} stops them in the reverse order: HTTP
 * first (no new requests, in-flight ones finish), then the admin API, the Redis consumer (handing the
 * channel to another instance), then the service (its outbox relay, then its database), then the
 * Redis connection that published its events.
 */
final class RunningService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningService.class);
    private static final Duration STREAM_CLAIM_IDLE = Duration.ofSeconds(30);
    /** The admin API's workers and the requests that may wait for one: an operator's few tools. */
    private static final int ADMIN_THREADS = 4;
    private static final int ADMIN_QUEUE = 64;
    /** The admin API's share of the connections, at most. */
    private static final int ADMIN_CONNECTIONS = 32;
    /**
     * Open files set aside, beyond those open once storage and Redis are connected and the pool's
     * connections: what the JVM and the libraries open later (classes, logs, the listeners' selectors,
     * Redis's reconnections).
     */
    private static final int FILES_RESERVED = 128;
    /** Connections a listener keeps even when the open-files limit leaves less (with a warning). */
    private static final int MIN_CONNECTIONS = 8;

    private final AllocationService service;
    private final HttpApi http;
    private final HttpConfig httpConfig;
    private final AdminApi admin;
    private final String description;
    private final Deque<AutoCloseable> started;   // closed last-started first
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stoppedCleanly;

    private RunningService(AllocationService service, HttpApi http, HttpConfig httpConfig, AdminApi admin,
                           String description, Deque<AutoCloseable> started) {
        this.service = service;
        this.http = http;
        this.httpConfig = httpConfig;
        this.admin = admin;
        this.description = description;
        this.started = started;
    }

    /**
     * Composes and starts everything {@code config} asks for on {@code builder} (whose other choices,
     * such as notifications, are kept). Whatever started is closed again when a later part fails.
     *
     * @throws UncheckedIOException when the HTTP port cannot be bound
     * @throws RuntimeException     when the database or Redis cannot be reached
     */
    static RunningService start(ServiceConfig config, Bootstrap.Builder builder) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            ServiceConfig.Operations operations = config.operations();
            builder.locking(operations.locking()).outOfStockRecipient(operations.outOfStockRecipient())
                    .poolSize(operations.poolSize());
            if (config.inMemory()) {
                builder.inMemory();
            } else if (config.databaseUrl().isPresent()) {
                builder.jdbc(config.databaseUrl().get(), config.databaseUser().orElse(null),
                        config.databasePassword().orElse(null));
            } else {
                builder.h2(config.dataDir());
            }
            PrometheusMeterRegistry registry = meters();
            AllocationMeters meters = new AllocationMeters(registry);
            builder.listener(meters).poolMetrics(meters.hikari());
            RedisBroker redis = config.redisUrl().map(url -> RedisBroker.connect(url, meters.lettuce())).orElse(null);
            List<EventPublisher> publishers = new ArrayList<>();
            if (redis != null) {
                started.push(redis);
                publishers.add(redis.publisher());
            }
            KafkaBroker kafka = config.kafka().map(settings -> kafka(settings, meters)).orElse(null);
            if (kafka != null) {
                started.push(kafka);
                publishers.add(kafka.publisher());
            }
            if (!publishers.isEmpty()) {   // none: the builder's default, the log
                builder.eventPublisher(publishers.size() == 1 ? publishers.get(0) : new Broadcast(publishers));
            }
            AllocationService service = builder.build();
            started.push(service);
            meters.outbox(service.outbox());
            if (redis != null) {
                // pub/sub has no consumer groups: one instance at a time consumes, so that each message
                // is applied once and in order however many instances share the database
                started.push(service.runExclusively(RedisBroker.CHANGE_BATCH_QUANTITY, () -> redis.subscribe(service)));
                // the stream's consumer group would share entries among instances, out of order: one at a
                // time reads it, and the next claims what it left pending
                started.push(service.runExclusively(RedisBroker.CHANGE_BATCH_QUANTITY + " stream",
                        () -> redis.consumeStream(service, STREAM_CLAIM_IDLE)));
            }
            if (kafka != null) {
                // the consumer group shares the partitions among the instances, each partition read in order
                started.push(kafka.consume(service));
            }
            Connections connections = connections(operations.poolSize());
            HttpConfig httpConfig = config.http().withMaxConnections(connections.api());
            AdminApi admin = startAdmin(service, config, httpConfig.withHost(config.adminHost())
                    .withPort(config.adminPort()).withThreads(ADMIN_THREADS).withQueueCapacity(ADMIN_QUEUE)
                    .withMaxConnections(connections.admin()));
            started.push(admin);
            Map<String, Supplier<CompletableFuture<Boolean>>> brokers = new LinkedHashMap<>();
            if (redis != null) {
                brokers.put("redis", redis::answers);
            }
            if (kafka != null) {
                brokers.put("kafka", kafka::answers);
            }
            brokers.forEach((name, answers) -> meters.broker(name, () -> answers.get().join()));
            HttpApi http = startHttp(service, health(service, brokers), httpConfig, registry);
            started.push(() -> http.stop(operations.shutdownGrace()));
            String broker = publishers.isEmpty() ? "none (integration events to the log)"
                    : String.join(" and ", Stream.of(redis, kafka).filter(Objects::nonNull).map(Object::toString).toList());
            String description = "Allocation service " + AllocationServer.version() + " listening on http://" + config.host() + ":" + http.port()
                    + ", admin on http://" + config.adminHost() + ":" + admin.port()
                    + ", connections at most " + connections.api() + " (admin " + connections.admin() + ")"
                    + ", storage: " + service + ", broker: " + broker;
            return new RunningService(service, http, httpConfig, admin, description, started);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** The connections each listener may hold. */
    private record Connections(int api, int admin) {
    }

    /**
     * Shares the files the process may still open, under its open-files limit, between the two listeners,
     * once the pool's connections and {@link #FILES_RESERVED} are set aside: so that neither accepting a
     * connection nor anything else the process opens fails with "Too many open files" however many
     * clients connect. Where the limit cannot be read, each listener keeps its default.
     */
    private static Connections connections(int poolSize) {
        OptionalLong left = HttpConfig.openFilesLeft(poolSize + FILES_RESERVED);
        if (left.isEmpty()) {
            HttpConfig defaults = HttpConfig.defaults();
            return new Connections(defaults.maxConnections(), Math.min(ADMIN_CONNECTIONS, defaults.maxConnections()));
        }
        long files = left.getAsLong();
        int admin = (int) Math.max(MIN_CONNECTIONS / 4, Math.min(ADMIN_CONNECTIONS, files / 8));
        int api = (int) Math.max(MIN_CONNECTIONS, Math.min(Integer.MAX_VALUE, files - admin));
        if (files - admin < MIN_CONNECTIONS) {
            log.warn("The open-files limit leaves room for {} connection(s) only: the API takes {}, the admin API {};"
                    + " raise the limit (ulimit -n) for more", Math.max(0, files), api, admin);
        }
        return new Connections(api, admin);
    }

    private static AdminApi startAdmin(AllocationService service, ServiceConfig config, HttpConfig adminConfig) {
        try {
            return AdminApi.start(service.outbox(), adminConfig);
        } catch (IOException e) {
            String address = config.adminHost() + ":" + config.adminPort();
            throw new UncheckedIOException("Cannot listen for the admin API on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The registry {@code /metrics} shows: the service's meters and the JVM's own. */
    private static PrometheusMeterRegistry meters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /**
     * What {@code /health} and {@code /health/ready} say: the service can serve while its storage answers.
     * Each broker configured (Redis, Kafka) is a detail of the answer ({@code "redis": "up" | "down"}) and
     * of {@code /metrics}, never a reason to take the instance out of a load balancer: while a broker is
     * away, every command still commits, its events wait in the outbox, and the commands it carries wait
     * in their stream or topic. All are checked at once, each within its own bound.
     */
    private static Supplier<Health> health(AllocationService service,
                                           Map<String, Supplier<CompletableFuture<Boolean>>> brokers) {
        return () -> {
            Map<String, CompletableFuture<Boolean>> asked = new LinkedHashMap<>();
            brokers.forEach((name, answers) -> asked.put(name, answers.get()));
            boolean storageAnswers = service.isHealthy();
            Map<String, Boolean> checks = new LinkedHashMap<>();
            checks.put("storage", storageAnswers);
            asked.forEach((name, answer) -> checks.put(name, answer.join()));
            return new Health(storageAnswers, checks);
        };
    }

    /** The Kafka cluster configured; a configuration its clients refuse is the operator's to mend (exit 2). */
    /** Kafka's clients, their own figures ({@code kafka_producer_...}, {@code kafka_consumer_...}) in {@code meters}. */
    private static KafkaBroker kafka(ServiceConfig.Kafka kafka, AllocationMeters meters) {
        try {
            return KafkaBroker.connect(kafka.bootstrapServers(), kafka.clientProperties(), meters.kafka());
        } catch (IllegalArgumentException | KafkaException e) {
            throw new UsageError("Kafka refuses its configuration (--kafka-bootstrap-servers, --kafka-properties): "
                    + e.getMessage());
        }
    }

    private static HttpApi startHttp(AllocationUseCases useCases, Supplier<Health> health, HttpConfig config,
                                     PrometheusMeterRegistry registry) {
        try {
            return HttpApi.start(useCases, config, registry::scrape, health);
        } catch (IOException e) {
            String address = config.host() + ":" + config.port();
            throw new UncheckedIOException("Cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return http.port();
    }

    /** How its HTTP API was configured. */
    HttpConfig httpConfig() {
        return httpConfig;
    }

    int adminPort() {
        return admin.port();
    }

    /** The service the adapters drive, for tests that send it commands directly. */
    AllocationUseCases useCases() {
        return service;
    }

    /** Where it listens, which storage and which broker: the start-up line. */
    String description() {
        return description;
    }

    /** Stops accepting requests, lets those in flight finish, then closes everything. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = new IllegalStateException("Stopping the allocation service failed");
        closeAll(started, failure);
        if (failure.getSuppressed().length > 0) {
            log.warn("Allocation service stopped, with failures", failure);
        } else {
            stoppedCleanly = true;
            log.info("Allocation service stopped");
        }
    }

    /** Whether {@link #close()} finished and closed everything without a failure. */
    boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    private static void closeAll(Deque<AutoCloseable> started, RuntimeException failure) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
