package dev.allocation.adapters.jdbc.testing;

import dev.allocation.adapters.jdbc.JdbiStorage;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One PostgreSQL database for a test class and its {@code @Nested} classes: created, with the allocation
 * schema, before the first test, emptied before each test, and dropped after the last. Register it on a
 * static field of the outer class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresPerClass postgres = new PostgresPerClass();
 * }</pre>
 *
 * <p>Without a server the class is skipped, or fails when {@code CI=true} ({@link TestDatabases#postgres()}).
 */
public final class PostgresPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private TestDatabase database;
    /** The class that created the database; its nested classes run on the same one. */
    private String owner;

    /** The database of the running test class, with the schema and empty tables. */
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
            database = TestDatabases.postgres();
            owner = context.getUniqueId();
            JdbiStorage.builder(database.dataSource()).build();   // migrates
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
