package dev.allocation.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.Handlers;
import dev.allocation.application.LogText;
import dev.allocation.application.MessageBus;
import dev.allocation.application.MessageBusListener;
import dev.allocation.application.Retry;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.application.port.Storage;
import dev.allocation.domain.Identifier;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root (the book's {@code bootstrap.py}): chooses an adapter for every port, with a
 * default for each, hands the dependencies to the handlers explicitly, and builds an
 * {@link AllocationService}. No dependency-injection framework.
 *
 * <pre>{@code
 * try (AllocationService service = Bootstrap.builder().inMemory().build()) {
 *     service.handle(new CreateBatch("b1", "LAMP", 100, null));
 *     service.handle(new Allocate("o1", "LAMP", 10));
 *     service.allocations("o1");   // [AllocationView[sku=LAMP, batchRef=b1]]
 * }
 * }</pre>
 */
public final class Bootstrap {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    /**
     * A builder with every default: a new embedded H2 database in memory, private to the service and
     * gone when it closes; notifications and events to the log. Only that default and {@code h2(dir)}
     * need H2 on the class path.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Chooses the adapters of one service; every choice is optional. */
    public static final class Builder {

        private Supplier<Chosen> storage = () -> pooled("embedded H2 in memory",
                () -> PooledDataSources.privateH2(sizing()));
        private Notifications notifications = (destination, message) ->
                log.info("Notification to {}: {}", LogText.escape(destination), LogText.escape(message));
        private EventPublisher eventPublisher = event -> log.info("Published {}", LogText.escape(event.toString()));
        private String outOfStockRecipient = "stock@made.com";
        private JdbiStorage.Locking locking = JdbiStorage.Locking.OPTIMISTIC;
        private OutboxRelay.Settings relay = OutboxRelay.Settings.DEFAULT;
        private MessageBusListener listener = MessageBusListener.NONE;
        private Retry retry = Retry.DEFAULT;
        private int poolSize = PooledDataSources.Sizing.DEFAULT_SIZE;
        private MetricsTrackerFactory poolMetrics;
        private boolean migrate = true;
        private boolean relayAtBuild = true;

        private Builder() {
        }

        /** Stores everything in memory (adapters-memory): fast, transactional, gone at close. */
        public Builder inMemory() {
            storage = () -> new Chosen("in memory (gone at close)", new InMemoryStorage(), () -> { });
            return this;
        }

        /**
         * Stores in a database through adapters-jdbc (H2 or PostgreSQL), bringing its schema up to date
         * first. The data source stays yours: the service never closes it.
         *
         * <p><b>Hand it a pool</b> (HikariCP, your application server's, ...): every unit of work asks the
         * data source for a connection, and an unpooled one, such as the drivers' own
         * {@code PGSimpleDataSource} or {@code JdbcDataSource}, opens a new physical connection each time.
         * Measured side by side on PostgreSQL: 38–49 Allocates/s through an unpooled data source against
         * 611–721 through {@link #jdbc(String, String, String)}, which opens a pool the service owns. A data
         * source known not to pool is logged as a warning when the service is built.
         */
        public Builder jdbc(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource must not be null");
            storage = () -> {
                if (PooledDataSources.isKnownNotToPool(dataSource.getClass())) {
                    log.warn("{} does not pool connections: each unit of work will open a new physical connection "
                            + "(on PostgreSQL about 15 times slower); hand jdbc(dataSource) a pool such as "
                            + "HikariCP's, or use jdbc(url, user, password)", dataSource.getClass().getName());
                }
                return jdbcStorage("JDBC " + dataSource.getClass().getSimpleName(), dataSource, () -> { });
            };
            return this;
        }

        /**
         * Stores in the database at this JDBC URL (H2 or PostgreSQL) through a pool the service owns.
         * When the URL is H2's or PostgreSQL's and that driver is not on the class path, {@link #build()}
         * fails with an {@code IllegalStateException} naming the artifact to add.
         */
        public Builder jdbc(String url, String user, String password) {
            Objects.requireNonNull(url, "url must not be null");
            storage = () -> pooled("database " + PooledDataSources.describe(url),
                    () -> PooledDataSources.forUrl(url, user, password, sizing()));
            return this;
        }

        /**
         * Stores in an embedded H2 database kept in files under {@code directory}, created when missing.
         * H2 ({@code com.h2database:h2}) comes with allocation-bootstrap; when it was excluded,
         * {@link #build()} fails with an {@code IllegalStateException} saying so.
         */
        public Builder h2(Path directory) {
            Objects.requireNonNull(directory, "directory must not be null");
            storage = () -> pooled("embedded H2 in " + directory.toAbsolutePath().normalize(),
                    () -> PooledDataSources.h2File(directory, sizing()));
            return this;
        }

        /**
         * How many connections each pool the service opens holds (16 by default): at most this many units
         * of work at once. Not for {@link #jdbc(DataSource)}, whose pool is yours.
         */
        public Builder poolSize(int connections) {
            if (connections < 1 || connections > 1_000) {
                throw new IllegalArgumentException("poolSize must be between 1 and 1000, was " + connections);
            }
            this.poolSize = connections;
            return this;
        }

        /**
         * Where the pools the service opens report HikariCP's own figures (for example
         * {@code allocation-micrometer}'s {@code AllocationMeters.hikari()}); none by default.
         */
        public Builder poolMetrics(MetricsTrackerFactory metrics) {
            this.poolMetrics = Objects.requireNonNull(metrics, "metrics must not be null");
            return this;
        }

        private PooledDataSources.Sizing sizing() {
            return new PooledDataSources.Sizing(poolSize, poolMetrics);
        }

        /** How JDBC storage keeps concurrent writers of one product apart; optimistic by default. */
        public Builder locking(JdbiStorage.Locking locking) {
            this.locking = Objects.requireNonNull(locking, "locking must not be null");
            return this;
        }

        /**
         * How often the bus runs a command again after an optimistic-concurrency conflict, and an event
         * handler after a failure, with which backoff; {@link Retry#DEFAULT} by default.
         */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        /**
         * Whether {@link #build()} brings a JDBC schema up to date (true by default). Turn it off where
         * the schema is migrated elsewhere (a deployment step running the migrations of
         * {@code JdbiStorage.MIGRATIONS_LOCATION} into {@code JdbiStorage.SCHEMA_HISTORY_TABLE}), or where
         * the application opts out; the service then expects the schema to be there. No effect on other
         * storage.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Builds the service with its outbox relay stopped: events are recorded with their commands, and
         * handed to the publisher only once {@link AllocationService#startRelay()} is called. For a host
         * that starts and stops its parts in phases of its own (a Spring application context, for
         * example). By default {@link #build()} starts the relay.
         */
        public Builder deferRelay() {
            this.relayAtBuild = false;
            return this;
        }

        /**
         * Stores in any other storage adapter. The service does not close it; its health and its
         * {@link Storage#exclusiveJobs()} become the service's.
         */
        public Builder storage(Storage storage) {
            Objects.requireNonNull(storage, "storage must not be null");
            this.storage = () -> new Chosen("custom storage " + storage.description(), storage, () -> { });
            return this;
        }

        /** Where notifications go; the log by default. */
        public Builder notifications(Notifications notifications) {
            this.notifications = Objects.requireNonNull(notifications, "notifications must not be null");
            return this;
        }

        /**
         * Where events for other systems go; the log by default. The service's outbox relay hands them
         * over after their commit, at least once, in commit order per sku.
         */
        public Builder eventPublisher(EventPublisher publisher) {
            this.eventPublisher = Objects.requireNonNull(publisher, "publisher must not be null");
            return this;
        }

        /** Who is told when a sku runs out of stock; stock@made.com by default, as in the book. */
        public Builder outOfStockRecipient(String recipient) {
            this.outOfStockRecipient = Identifier.require(recipient, "recipient");
            return this;
        }

        /** How the outbox relay claims, retries and keeps events; {@link OutboxRelay.Settings#DEFAULT} by default. */
        public Builder outboxRelay(OutboxRelay.Settings settings) {
            this.relay = Objects.requireNonNull(settings, "settings must not be null");
            return this;
        }

        /**
         * Who hears what the message bus does: each message handled, conflicts retried, contention and
         * failing event handlers ({@link MessageBusListener}; {@code allocation-micrometer} turns them
         * into meters). Nobody by default.
         */
        public Builder listener(MessageBusListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /**
         * The service, on the storage chosen (by default a new one private to it, gone at close), its
         * outbox relay started (unless {@link #deferRelay()} was asked).
         */
        public AllocationService build() {
            Chosen chosen = storage.get();
            try {
                Handlers handlers = new Handlers(notifications, outOfStockRecipient);
                MessageBus bus = handlers.registerOn(MessageBus.builder(chosen.storage()).listener(listener).retry(retry))
                        .build();
                Storage stored = chosen.storage();
                EventPublisher publisher = eventPublisher;
                OutboxRelay.Settings settings = relay;
                BusAllocationService service = new BusAllocationService(bus, stored,
                        () -> OutboxRelay.start(stored.outbox(), publisher, settings), chosen.description(),
                        chosen.resources());
                if (relayAtBuild) {
                    service.startRelay();
                }
                return service;
            } catch (RuntimeException e) {
                try {
                    chosen.resources().close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        private Chosen pooled(String description, Supplier<HikariDataSource> pool) {
            HikariDataSource dataSource = pool.get();
            try {
                return jdbcStorage(description, dataSource, dataSource::close);
            } catch (RuntimeException e) {
                dataSource.close();
                throw e;
            }
        }

        private Chosen jdbcStorage(String description, DataSource dataSource, AutoCloseable resources) {
            JdbiStorage jdbc = JdbiStorage.builder(dataSource).locking(locking).migrate(migrate).build();
            return new Chosen(description + " (" + jdbc.description() + ")", jdbc, resources);
        }
    }

    /** The storage chosen, what the service says it is, and what the service opened for it (a pool) and closes. */
    private record Chosen(String description, Storage storage, AutoCloseable resources) {
    }
}
