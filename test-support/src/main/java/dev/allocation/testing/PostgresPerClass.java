package dev.allocation.testing;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One PostgreSQL database for a test class and its {@code @Nested} classes: created, given the allocation
 * schema by the caller's {@code schema} action, before the first test, emptied before each test, and
 * dropped after the last. Register it on a static field of the outer class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresPerClass postgres =
 *         new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates
 * }</pre>
 *
 * <p>Without a server the class is skipped, or fails when {@code CI=true} ({@link TestDatabases#postgres()}).
 */
public final class PostgresPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final Supplier<TestDatabase> create;
    private final Consumer<DataSource> schema;
    private TestDatabase database;
    /** The class that created the database; its nested classes run on the same one. */
    private String owner;

    /**
     * A database per test class, to be given the allocation schema by {@code schema} (for instance by
     * building a {@code JdbiStorage} on it, which migrates) before the first test.
     *
     * @param schema brings a new, empty database's schema up to date
     */
    public PostgresPerClass(Consumer<DataSource> schema) {
        this(TestDatabases::postgres, schema);
    }

    private PostgresPerClass(Supplier<TestDatabase> create, Consumer<DataSource> schema) {
        this.create = create;
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * A database per test class that holds the allocation schema with its tables hash-partitioned by sku
     * ({@link TestDatabases#postgresPartitionedBySku()}).
     *
     * @return the extension, to register on a static field
     */
    public static PostgresPerClass partitionedBySku() {
        return new PostgresPerClass(TestDatabases::postgresPartitionedBySku, dataSource -> { });
    }

    /**
     * The database of the running test class, with the schema and empty tables.
     *
     * @return the database of the running test class
     */
    public TestDatabase database() {
        if (database == null) {
            throw new IllegalStateException("No database: register PostgresPerClass with @RegisterExtension"
                    + " on a static field");
        }
        return database;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (database == null) {
            database = create.get();
            owner = context.getUniqueId();
            schema.accept(database.dataSource());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        database().emptyTables();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null && context.getUniqueId().equals(owner)) {
            database.close();
            database = null;
        }
    }
}
