package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresStorageContractTest extends StorageContract {

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
    protected Storage newStorage() {
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).build();
        Tables.truncateAll(database.dataSource());
        return new Storage(storage, storage.readModel());
    }
}
