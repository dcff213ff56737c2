package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The port contract on PostgreSQL with optimistic locking: one database for the class, emptied per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStorageContractTest extends StorageContract {

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
    protected Storage newStorage() {
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).locking(locking()).build();
        database.emptyTables();
        return new Storage(storage, storage.readModel());
    }
}
