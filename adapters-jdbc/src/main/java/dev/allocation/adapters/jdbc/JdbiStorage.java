package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage in a relational database (H2 2.x or PostgreSQL 14+) through JDBI: the units of work
 * of the message bus and the allocations read model, both in the same database.
 *
 * <pre>{@code
 * JdbiStorage storage = JdbiStorage.builder(dataSource)      // brings the schema up to date
 *         .locking(JdbiStorage.Locking.PESSIMISTIC)          // optional; OPTIMISTIC by default
 *         .build();
 * MessageBus bus = handlers.registerOn(MessageBus.builder(storage)).build();
 * }</pre>
 *
 * <p>A unit of work is one READ COMMITTED transaction. Saving a product checks its version; a stale
 * product, or a product or batch created concurrently by another unit, is a
 * {@link dev.allocation.application.port.ConcurrencyConflict}. Thread-safe; the storage never closes
 * the {@link DataSource} it is given.
 */
public final class JdbiStorage implements Storage {

    private static final Logger log = LoggerFactory.getLogger(JdbiStorage.class);

    /**
     * Where the migrations live in this jar (SQL and Java, all found by scanning it), for teams that run
     * migrations themselves: a package of this module, which no application's Flyway scans by default.
     * Versions 1 to 4 lived under {@code classpath:db/migration/allocation} before; the history of a
     * database migrated from there stays valid.
     */
    public static final String MIGRATIONS_LOCATION = "classpath:dev/allocation/adapters/jdbc/migration";

    /** Flyway's history table for this schema. */
    public static final String SCHEMA_HISTORY_TABLE = "allocation_schema_history";

    /** The longest {@link #isHealthy()} waits for the database. */
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Every table, each by key; the first column counts the rows of outbox_claims, which must be one, the
     * second those of outbox_buckets, which must be one a bucket.
     */
    private static final String READ_EVERY_TABLE = """
            SELECT (SELECT COUNT(*) FROM outbox_claims),
                   (SELECT COUNT(*) FROM outbox_buckets),
                   (SELECT COUNT(*) FROM outbox_relays WHERE relay_id = ''),
                   (SELECT COUNT(*) FROM products WHERE sku = ''),
                   (SELECT COUNT(*) FROM batch_references WHERE reference = ''),
                   (SELECT COUNT(*) FROM batches WHERE sku = '' AND id = 0),
                   (SELECT COUNT(*) FROM allocations WHERE sku = '' AND id = 0),
                   (SELECT COUNT(*) FROM allocations_view WHERE orderid = '' AND sku = ''),
                   (SELECT COUNT(*) FROM outbox WHERE sku = '' AND id = 0)""";

    /** How concurrent writers of one product are kept apart. */
    public enum Locking {
        /** Read without locks; a commit whose product changed since is a conflict, which the bus retries. */
        OPTIMISTIC,
        /** The product row is read {@code FOR UPDATE}: writers of one sku wait instead of failing. For hot skus. */
        PESSIMISTIC
    }

    private final AtomicReference<CompletableFuture<Boolean>> healthCheck = new AtomicReference<>();
    private final Locking locking;
    private final Database database;
    private final JdbiOutbox outbox;
    private final AllocationsReadModel readModel;
    private final ExclusiveJobs exclusiveJobs;

    private JdbiStorage(DataSource dataSource, Dialect dialect, String url, Locking locking, boolean distributed) {
        this.database = new Database(dataSource, dialect, url);
        this.locking = locking;
        this.readModel = new JdbiReadModel(database);
        this.outbox = new JdbiOutbox(database, distributed);
        this.exclusiveJobs = dialect == Dialect.H2 ? ExclusiveJobs.ONLY_INSTANCE : new AdvisoryLockJobs(dataSource);
    }

    /** Starts building storage on {@code dataSource}, which stays the caller's to close. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** A new unit of work; it takes a connection only when first used. */
    @Override
    public UnitOfWork start() {
        return new JdbiUnitOfWork(database, outbox, locking);
    }

    /** The read model, in the same database. */
    @Override
    public AllocationsReadModel readModel() {
        return readModel;
    }

    /** The outbox, in the same database: each unit of work records its events that leave the service there. */
    @Override
    public Outbox outbox() {
        return outbox;
    }

    /**
     * Runs jobs on one instance at a time among those sharing this database: on PostgreSQL under an
     * advisory lock ({@link AdvisoryLockJobs}); on H2, which one process at a time can use, at once.
     */
    @Override
    public ExclusiveJobs exclusiveJobs() {
        return exclusiveJobs;
    }

    /**
     * True when the schema can serve commands, known within {@link #HEALTH_TIMEOUT}; for readiness. It
     * reads every table of the schema by key (and finds the row relays' claims lock); on H2 it also
     * writes a row in each table, as an Allocate does, and rolls them back, since an H2 schema can
     * answer reads while refusing every write (a check constraint H2 2.4.240 can no longer evaluate).
     * Never throws, and never waits longer: a database that does not answer is unhealthy, however it
     * fails. Checks asked for while one is running share its answer.
     */
    @Override
    public boolean isHealthy() {
        CompletableFuture<Boolean> check = healthCheck.updateAndGet(running -> running != null && !running.isDone()
                ? running : CompletableFuture.supplyAsync(this::canServe, JdbiStorage::onDaemonThread));
        try {
            return check.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Storage health check failed: no answer within {} ms", HEALTH_TIMEOUT.toMillis());
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean canServe() {
        try {
            return database.withHandle(handle -> {
                long[] rows = Sql.list(handle, READ_EVERY_TABLE, rs -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .get(0);
                if (rows[0] != 1 || rows[1] != JdbiOutbox.BUCKETS) {
                    log.warn("Storage health check failed: outbox_claims holds {} rows instead of 1, outbox_buckets"
                            + " {} instead of {}", rows[0], rows[1], JdbiOutbox.BUCKETS);
                    return false;
                }
                if (database.dialect() == Dialect.H2) {
                    database.writes().run(() -> writeEveryTableAndRollBack(handle));
                }
                return true;
            });
        } catch (RuntimeException e) {
            log.warn("Storage health check failed: {}", e.toString());
            return false;
        }
    }

    /**
     * A row in each table, as an Allocate writes them, under keys no command uses (so that nothing
     * waits on them), then rolled back: it leaves nothing behind but the identity values it drew.
     */
    private static void writeEveryTableAndRollBack(Handle handle) {
        String key = "allocation-health-check-" + UUID.randomUUID();
        handle.begin();
        try {
            Sql.update(handle, "INSERT INTO products (sku, version) VALUES (?, 0)", key);
            Sql.update(handle, "INSERT INTO batch_references (reference, sku) VALUES (?, ?)", key, key);
            Sql.update(handle, "INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                    + " VALUES (?, ?, 1, 1, NULL)", key, key);
            Sql.update(handle, "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, 1, ?)",
                    key, key, key);
            Sql.update(handle, "INSERT INTO allocations_view (orderid, sku, batchref, version) VALUES (?, ?, ?, 1)",
                    key, key, key);
            Sql.update(handle, "INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at,"
                    + " attempts, next_attempt_at) VALUES (?, ?, 0, 'HealthCheck', '', 'P', 0, 0, 0)",
                    UUID.randomUUID().toString(), key);
        } finally {
            handle.rollback();
        }
    }

    private static void onDaemonThread(Runnable task) {
        Thread thread = new Thread(task, "allocation-storage-health");
        thread.setDaemon(true);
        thread.start();
    }

    /** The database and the locking, for logs. */
    @Override
    public String description() {
        return "JdbiStorage[" + database.dialect() + ", " + locking + "]";
    }

    @Override
    public String toString() {
        return description();
    }

    /** Chooses the options of a {@link JdbiStorage}. */
    public static final class Builder {

        private static final int MIGRATION_ATTEMPTS = 5;
        private static final Object H2_MIGRATIONS = new Object();

        private final DataSource dataSource;
        private Locking locking = Locking.OPTIMISTIC;
        private boolean migrate = true;
        private Boolean distributed;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        }

        /** How concurrent writers of one product are kept apart; {@link Locking#OPTIMISTIC} by default. */
        public Builder locking(Locking locking) {
            this.locking = Objects.requireNonNull(locking, "locking must not be null");
            return this;
        }

        /**
         * Whether the database draws the outbox's {@code id}s on several nodes, as Citus does for writes
         * through its workers, so that a sku's events may be recorded with {@code id}s out of its order.
         * Then each claim checks, with one more query, that the events it takes of each sku are the first
         * of that sku's order ({@code sku_sequence}, migration 8). By default, true where the
         * {@code citus} extension is installed; on one database the order recorded is each sku's order.
         */
        public Builder distributed(boolean distributed) {
            this.distributed = distributed;
            return this;
        }

        /** True when the database is PostgreSQL with the {@code citus} extension installed. */
        private static boolean isCitus(Handle handle, Dialect dialect) {
            return dialect == Dialect.POSTGRESQL
                    && !Sql.list(handle, "SELECT 1 FROM pg_extension WHERE extname = 'citus'", rs -> 1).isEmpty();
        }

        /**
         * Whether {@link #build()} brings the schema up to date with Flyway (true by default). Turn it
         * off when you apply the migrations of {@link #MIGRATIONS_LOCATION} yourself.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * The storage, its schema brought up to date first (unless turned off). Safe when several
         * instances start on one database at once: Flyway migrates under a database lock.
         *
         * @throws IllegalArgumentException when the database is neither H2 nor PostgreSQL
         */
        public JdbiStorage build() {
            Dialect dialect;
            String url;
            boolean onSeveralNodes;
            try (Handle handle = Jdbi.open(dataSource)) {
                dialect = Dialect.of(handle.getConnection());
                url = handle.getConnection().getMetaData().getURL();
                if (SerialWrites.isH2File(dialect, url)) {
                    warnUnlessDurable(handle, url);
                }
                onSeveralNodes = distributed != null ? distributed : isCitus(handle, dialect);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot tell which database this is", e);
            }
            if (migrate) {
                migrate(dataSource, dialect);
            }
            log.info("Allocation storage on {} with {} locking", dialect, locking);
            return new JdbiStorage(dataSource, dialect, url, locking, onSeveralNodes);
        }

        /**
         * H2 writes a commit to its file up to half a second after it returns, unless its URL says
         * {@code WRITE_DELAY=0}: the setting is not kept across a restart, where H2 reports it twice
         * (as stored, and as in force).
         */
        private static void warnUnlessDurable(Handle handle, String url) {
            if (Sql.list(handle, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?",
                    rs -> rs.getString(1), "WRITE_DELAY").stream().anyMatch(delay -> !"0".equals(delay))) {
                log.warn("H2 database {} may lose the commits of its last half second in a crash: "
                        + "add ;WRITE_DELAY=0 to its URL", url.split(";", 2)[0]);
            }
        }

        /**
         * Flyway migrates under a lock, but two instances starting on a fresh database can still race
         * while the history table itself is created (one sees it created and still empty, and refuses to
         * baseline). The loser tries again, and finds the schema up to date.
         *
         * <p>On H2 Flyway's lock is a {@code SELECT ... FOR UPDATE} of the history table's rows, which
         * locks nothing while that table is empty: two instances would both run the first migration, and
         * the one that fails leaves a failed row that every later attempt refuses. An embedded H2
         * database lives in one JVM, so its migrations take turns here.
         */
        private static void migrate(DataSource dataSource, Dialect dialect) {
            if (dialect == Dialect.H2) {
                synchronized (H2_MIGRATIONS) {
                    migrate(dataSource);
                }
            } else {
                migrate(dataSource);
            }
        }

        private static void migrate(DataSource dataSource) {
            Flyway flyway = Flyway.configure(JdbiStorage.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(MIGRATIONS_LOCATION)
                    .table(SCHEMA_HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load();
            for (int attempt = 1; ; attempt++) {
                try {
                    var result = flyway.migrate();
                    if (result.migrationsExecuted > 0) {
                        log.info("Migrated the allocation schema to version {} ({} migrations)",
                                result.targetSchemaVersion, result.migrationsExecuted);
                    }
                    return;
                } catch (FlywayException e) {
                    if (attempt >= MIGRATION_ATTEMPTS) {
                        throw e;
                    }
                    log.info("Migrating the allocation schema raced another instance (attempt {}): {}",
                            attempt, e.getMessage());
                    try {
                        Thread.sleep(100L * attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while migrating the allocation schema", interrupted);
                    }
                }
            }
        }
    }
}
