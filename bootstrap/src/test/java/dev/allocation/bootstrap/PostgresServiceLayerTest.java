package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The service layer on PostgreSQL with optimistic locking, through a pool the service owns: one
 * database for the class, emptied after every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServiceLayerTest extends ServiceLayerTest {

    private TestDatabase database;

    /** The locking strategy under test. */
    JdbiStorage.Locking locking() {
        return JdbiStorage.Locking.OPTIMISTIC;
    }

    @BeforeAll
    void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        return builder.jdbc(database.url(), database.user(), database.password()).locking(locking());
    }

    @Override
    protected void releaseStorage() {
        database.emptyTables();
    }
}
