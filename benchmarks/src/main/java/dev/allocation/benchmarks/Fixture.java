package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One store, ready for benchmarks: its database (none for memory) and the ways to run commands on it,
 * through the service or through the raw reference. Notifications and published events go nowhere, so
 * that logging does not weigh on the numbers.
 */
final class Fixture implements AutoCloseable {

    private final Store store;
    private final Database database;

    private Fixture(Store store, Database database) {
        this.store = store;
        this.database = database;
    }

    /** The store, with a fresh database when it has one. */
    static Fixture open(Store store, Path workDirectory, String pgName) {
        return new Fixture(store, store.isJdbc() ? Database.create(store, workDirectory, pgName) : null);
    }

    /**
     * Fresh H2 files whose commits reach the file up to {@code writeDelayMillis} after they return (the
     * service's own setting is 0, which {@link #open} uses).
     */
    static Fixture h2File(Path workDirectory, int writeDelayMillis) {
        return new Fixture(Store.H2_FILE, Database.h2File(workDirectory, writeDelayMillis));
    }

    Store store() {
        return store;
    }

    /** The database; null for the memory store. */
    Database database() {
        return database;
    }

    /**
     * A service on this store built as users build it: {@code inMemory()}, {@code h2(directory)} or
     * {@code jdbc(url, user, password)} (HikariCP pool owned by the service), with this locking. H2 files
     * with a write delay other than the service's own (0) are opened by their URL, which states it.
     */
    AllocationService service(JdbiStorage.Locking locking) {
        Bootstrap.Builder builder = quiet(Bootstrap.builder()).locking(locking);
        switch (store) {
            case MEMORY -> builder.inMemory();
            case H2_FILE -> {
                if (database.writeDelay() == 0) {
                    builder.h2(database.directory());
                } else {
                    builder.jdbc(database.url(), database.user(), database.password());
                }
            }
            default -> builder.jdbc(database.url(), database.user(), database.password());
        }
        return builder.build();
    }

    /**
     * A service whose units of work count the conflicts the bus retries. JDBC stores get a HikariCP pool
     * configured as {@code Bootstrap.jdbc(url, ...)} configures its own (16 connections, autocommit);
     * {@code tracing} (null for none) sees every JDBC call.
     */
    Counted counted(JdbiStorage.Locking locking, JdbcTrace tracing) {
        if (store == Store.MEMORY) {
            InMemoryStorage memory = new InMemoryStorage();
            CountingUnitsOfWork counting = new CountingUnitsOfWork(memory);
            AllocationService service = quiet(Bootstrap.builder()).storage(counting, memory.readModel()).build();
            return new Counted(service, counting, () -> { });
        }
        HikariDataSource pool = pool(database);
        try {
            DataSource dataSource = tracing == null ? pool : tracing.wrap(pool);
            JdbiStorage storage = JdbiStorage.builder(dataSource).locking(locking).build();
            CountingUnitsOfWork counting = new CountingUnitsOfWork(storage);
            AllocationService service = quiet(Bootstrap.builder()).storage(counting, storage.readModel()).build();
            return new Counted(service, counting, pool::close);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A raw-SQL session on this store's database, for one thread, committing as the adapter does. */
    RawSession raw() throws SQLException {
        return raw(RawSession.Shape.ONE_TRANSACTION);
    }

    /** A raw-SQL session on this store's database, for one thread, committing in this shape. */
    RawSession raw(RawSession.Shape shape) throws SQLException {
        return new RawSession(database.connect(), database.dialect(), shape);
    }

    static HikariDataSource pool(Database database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setPoolName("bench");
        config.setMaximumPoolSize(16);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    private static Bootstrap.Builder quiet(Bootstrap.Builder builder) {
        return builder.notifications((destination, message) -> { }).eventPublisher(event -> { });
    }

    @Override
    public void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Override
    public String toString() {
        return store.label();
    }

    /** A service, what counts its conflicts, and what to close after it. */
    record Counted(AllocationService service, CountingUnitsOfWork counter, AutoCloseable resources)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                service.close();
            } finally {
                resources.close();
            }
        }
    }
}
