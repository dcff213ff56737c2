package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;

/** The service layer on PostgreSQL with pessimistic locking (for hot skus). */
class PostgresPessimisticServiceLayerTest extends ServiceLayerTest {

    private TestDatabase database;

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        if (database == null) {
            database = TestDatabases.postgres();
        }
        return builder.jdbc(database.dataSource()).locking(JdbiStorage.Locking.PESSIMISTIC);
    }

    @Override
    protected void releaseStorage() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
