package dev.allocation.service;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A durable store for a {@link ServiceProcess}: the options that point the service at it, and the same
 * database opened directly (JDBC) for the checks. Closing it drops the PostgreSQL database.
 */
final class ServiceStorage implements AutoCloseable {

    /** The durable stores the service offers. */
    enum Kind {
        /** The default: embedded H2 files under {@code --data-dir}. */
        H2_FILES("H2 files"),
        /** {@code --db-url jdbc:postgresql://...}: a fresh database on the local server (skipped without one, unless CI=true). */
        POSTGRESQL("PostgreSQL");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** The store; on H2 files, skips the test in the profile partitioned by sku, which is PostgreSQL's. */
        ServiceStorage open(Path directory) {
            Assumptions.assumeFalse(this == H2_FILES && TestDatabases.partitionedProfile(),
                    "the profile partitioned by sku (ALLOCATION_TEST_POSTGRES=partitioned) runs on PostgreSQL alone");
            return this == H2_FILES ? h2Files(directory) : postgres();
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private final Kind kind;
    private final List<String> options;
    private final Map<String, String> environment;
    private final TestDatabase database;

    private ServiceStorage(Kind kind, List<String> options, Map<String, String> environment, TestDatabase database) {
        this.kind = kind;
        this.options = options;
        this.environment = environment;
        this.database = database;
    }

    /** The service's default store, H2 files in {@code dataDir}. */
    static ServiceStorage h2Files(Path dataDir) {
        return new ServiceStorage(Kind.H2_FILES, List.of("--data-dir", dataDir.toString()), Map.of(),
                TestDatabases.h2File(dataDir));
    }

    /** A new database on the local PostgreSQL; skips the test without a server (fails it when {@code CI=true}). */
    static ServiceStorage postgres() {
        TestDatabase database = TestDatabases.postgres();
        return new ServiceStorage(Kind.POSTGRESQL, List.of("--db-url", database.url(), "--db-user", database.user()),
                database.password() == null || database.password().isEmpty()
                        ? Map.of() : Map.of("ALLOCATION_DB_PASSWORD", database.password()),
                database);
    }

    Kind kind() {
        return kind;
    }

    /** The service's options that choose this store. */
    List<String> options() {
        return options;
    }

    /** The environment variables the service needs for it (a password). */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * The database itself, for the checks. H2 files are locked by the process that has them open: read them
     * only once the service has stopped.
     */
    TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return kind + " (" + database + ")";
    }
}
