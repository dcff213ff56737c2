package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The service layer on PostgreSQL, through a pool the service owns: one database for the class,
 * emptied after every test.
 */
class PostgresServiceLayerTest extends ServiceLayerTest {

    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        return builder.jdbc(database.url(), database.user(), database.password());
    }

    @Override
    protected void releaseStorage() throws Exception {
        Tables.empty(database);
    }
}
