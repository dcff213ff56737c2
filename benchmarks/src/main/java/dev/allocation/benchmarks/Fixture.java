package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * One store ready for benchmarks: its fresh database (null for memory), services built on it as users
 * build them, and raw-SQL twins on the same database. Notifications and published events go nowhere,
 * so that logging does not weigh on the numbers.
 */
record Fixture(Store store, Database database) implements AutoCloseable {

    static Fixture open(Store store, Path workDirectory, String pgName) throws Exception {
        return new Fixture(store, store.isJdbc() ? Database.create(store, workDirectory, pgName) : null);
    }

    /** A service: {@code inMemory()}, {@code h2(directory)} or {@code jdbc(url, user, password)}, with this locking. */
    AllocationService service(Locking locking) {
        Bootstrap.Builder builder = Bootstrap.builder().locking(locking)
                .notifications((destination, message) -> { }).eventPublisher(event -> { });
        switch (store) {
            case MEMORY -> builder.inMemory();
            case H2_FILE -> builder.h2(database.directory());
            default -> builder.jdbc(database.url(), database.user(), database.password());
        }
        return builder.build();
    }

    /** A raw-SQL twin on this store's database, on a connection of its own, for one thread. */
    RawSession raw() throws SQLException {
        return new RawSession(database.connect(), database.dialect());
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
}
