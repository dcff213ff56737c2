package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;

/** The service layer on PostgreSQL, through a pool the service owns; a fresh database per test. */
class PostgresServiceLayerTest extends ServiceLayerTest {

    private TestDatabase database;

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        if (database == null) {
            database = TestDatabases.postgres();
        }
        return builder.jdbc(database.url(), database.user(), database.password());
    }

    @Override
    protected void releaseStorage() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
