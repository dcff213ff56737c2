package dev.allocation.spring.boot;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.application.Backoff;
import dev.allocation.application.Retry;
import dev.allocation.application.outbox.OutboxRelay;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the allocation service under {@code allocation.*}: every one has the default that
 * {@code Bootstrap} has, so an application that sets none gets the service the library documents.
 */
@ConfigurationProperties(prefix = "allocation")
public class AllocationProperties {

    /** Whether to configure an AllocationService at all. */
    private boolean enabled = true;

    /**
     * Where the service keeps its data: auto (the application's DataSource when it has one, else in
     * memory with a warning), jdbc (the application's DataSource, or fail), memory.
     */
    private StorageKind storage = StorageKind.AUTO;

    /** How JDBC storage keeps concurrent writers of one product apart. */
    private JdbiStorage.Locking locking = JdbiStorage.Locking.OPTIMISTIC;

    /** Who is told when a sku runs out of stock. */
    private String outOfStockRecipient = "stock@made.com";

    /**
     * Whether the service brings its own schema up to date at start-up (its migrations, in its own
     * history table allocation_schema_history, never the application's). Turn it off when a deployment
     * step migrates it.
     */
    private boolean migrate = true;

    /**
     * What happens when handle is called inside an application transaction, which the command does not
     * join (it commits in its own): warn (log it once per caller) or fail.
     */
    private TransactionParticipation transactionParticipation = TransactionParticipation.WARN;

    private final Retries retries = new Retries();

    private final Relay relay = new Relay();

    private final Redis redis = new Redis();

    private final Kafka kafka = new Kafka();

    private final Web web = new Web();

    /** Where the service keeps its data. */
    public enum StorageKind {
        /** The application's DataSource when it has exactly one, else in memory with a warning. */
        AUTO,
        /** The application's DataSource; starting fails without one. */
        JDBC,
        /** In memory: gone when the application stops. */
        MEMORY
    }

    /** What to do when handle is called inside an application transaction. */
    public enum TransactionParticipation {
        /** Log a warning: the command commits in its own transaction, whatever the caller's does. */
        WARN,
        /** Refuse the call with an IllegalStateException. */
        FAIL
    }

    /** How the message bus retries conflicts and failing event handlers; Retry.DEFAULT's values by default. */
    public static class Retries {

        /** How many times a command that lost an optimistic-concurrency race runs, at most. */
        private int conflictAttempts = 100;

        /** How many times a failing event handler runs, at most. */
        private int eventAttempts = 3;

        /** The first wait before a retry. */
        private Duration backoffFirst = Duration.ofMillis(1);

        /** The longest wait before a retry. */
        private Duration backoffMax = Duration.ofMillis(50);

        public int getConflictAttempts() {
            return conflictAttempts;
        }

        public void setConflictAttempts(int conflictAttempts) {
            this.conflictAttempts = conflictAttempts;
        }

        public int getEventAttempts() {
            return eventAttempts;
        }

        public void setEventAttempts(int eventAttempts) {
            this.eventAttempts = eventAttempts;
        }

        public Duration getBackoffFirst() {
            return backoffFirst;
        }

        public void setBackoffFirst(Duration backoffFirst) {
            this.backoffFirst = backoffFirst;
        }

        public Duration getBackoffMax() {
            return backoffMax;
        }

        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        Retry toRetry() {
            return new Retry(conflictAttempts, eventAttempts, new Backoff(backoffFirst, backoffMax));
        }
    }

    /**
     * The Redis integration of the book (allocation-adapters-redis on the class path): integration events
     * published to Redis, ChangeBatchQuantity consumed from it.
     */
    public static class Redis {

        /**
         * The Redis server, redis://[[user]:password@]host[:port][/db] (rediss:// for TLS). Unset: no Redis
         * integration.
         */
        private String url;

        /**
         * Whether to take Redis from the application's own Redis connection details (spring.data.redis.*,
         * or a service connection) when allocation.redis.url is not set: the same server the application's
         * Redis client uses.
         */
        private boolean enabled = false;

        /**
         * How long an entry of the change_batch_quantity stream stays pending on another instance's consumer
         * before this one claims it.
         */
        private Duration streamClaimIdle = Duration.ofSeconds(30);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getStreamClaimIdle() {
            return streamClaimIdle;
        }

        public void setStreamClaimIdle(Duration streamClaimIdle) {
            this.streamClaimIdle = streamClaimIdle;
        }
    }

    /**
     * The Kafka integration (allocation-adapters-kafka on the class path): integration events produced to
     * line_allocated, ChangeBatchQuantity consumed from change_batch_quantity in the consumer group
     * allocation.
     */
    public static class Kafka {

        /** The Kafka cluster, host:port[,host:port...]. Unset: no Kafka integration. */
        private String bootstrapServers;

        /**
         * Properties for every Kafka client the integration opens (producer, consumers, admin): what a real
         * cluster needs, such as security.protocol, sasl.*, ssl.* or client.id. The settings the integration
         * rests on (acks, idempotence, group.id, the serializers...) may be repeated, never changed.
         */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Map<String, String> getProperties() {
            return properties;
        }

        Properties clientProperties() {
            Properties client = new Properties();
            client.putAll(properties);
            return client;
        }
    }

    /**
     * The book's HTTP API (POST /add_batch, POST /allocate, GET /allocations/{orderid}) as a Spring MVC
     * controller of the application, behind its filters and security.
     */
    public static class Web {

        /** Whether to serve the book's HTTP API in the application's Spring MVC. */
        private boolean enabled = false;

        /**
         * The path the API's routes are under, such as /allocation (then POST /allocation/allocate); empty:
         * at the root, as the allocation service serves them.
         */
        private String basePath = "";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }
    }

    /**
     * How the outbox relay hands the recorded events to the application's EventPublisher;
     * OutboxRelay.Settings.DEFAULT's values by default.
     */
    public static class Relay {

        /**
         * Whether this instance runs a relay. Turn it off on instances that should only record events
         * (another instance on the same database publishes them).
         */
        private boolean enabled = true;

        /** How many events one claim takes. */
        private int batchSize = 256;

        /** How long a claim is held before another relay may take its events. */
        private Duration lease = Duration.ofSeconds(10);

        /** The first wait before a failed publish is tried again. */
        private Duration backoffFirst = Duration.ofSeconds(1);

        /** The longest wait before a failed publish is tried again. */
        private Duration backoffMax = Duration.ofMinutes(1);

        /** How long a published event is kept before it is deleted; zero: deleted as it is published. */
        private Duration retention = Duration.ZERO;

        /** The longest the relay sleeps before it looks for events another instance recorded. */
        private Duration pollInterval = Duration.ofSeconds(1);

        /** How long the relay waits, once a commit woke it, for the commits that follow. */
        private Duration linger = Duration.ofMillis(20);

        /** How often published events past their retention are deleted. */
        private Duration cleanupInterval = Duration.ofMinutes(1);

        /** How long stopping the relay waits for a publish in progress. */
        private Duration stopGrace = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public Duration getBackoffFirst() {
            return backoffFirst;
        }

        public void setBackoffFirst(Duration backoffFirst) {
            this.backoffFirst = backoffFirst;
        }

        public Duration getBackoffMax() {
            return backoffMax;
        }

        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public Duration getCleanupInterval() {
            return cleanupInterval;
        }

        public void setCleanupInterval(Duration cleanupInterval) {
            this.cleanupInterval = cleanupInterval;
        }

        public Duration getStopGrace() {
            return stopGrace;
        }

        public void setStopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
        }

        OutboxRelay.Settings toSettings() {
            return new OutboxRelay.Settings(batchSize, lease, new Backoff(backoffFirst, backoffMax), retention,
                    pollInterval, linger, cleanupInterval, stopGrace);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Redis getRedis() {
        return redis;
    }

    public Kafka getKafka() {
        return kafka;
    }

    public Web getWeb() {
        return web;
    }

    public StorageKind getStorage() {
        return storage;
    }

    public void setStorage(StorageKind storage) {
        this.storage = storage;
    }

    public JdbiStorage.Locking getLocking() {
        return locking;
    }

    public void setLocking(JdbiStorage.Locking locking) {
        this.locking = locking;
    }

    public String getOutOfStockRecipient() {
        return outOfStockRecipient;
    }

    public void setOutOfStockRecipient(String outOfStockRecipient) {
        this.outOfStockRecipient = outOfStockRecipient;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public TransactionParticipation getTransactionParticipation() {
        return transactionParticipation;
    }

    public void setTransactionParticipation(TransactionParticipation transactionParticipation) {
        this.transactionParticipation = transactionParticipation;
    }

    public Retries getRetries() {
        return retries;
    }

    public Relay getRelay() {
        return relay;
    }
}
