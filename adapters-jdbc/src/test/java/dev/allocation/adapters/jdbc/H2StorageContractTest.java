package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;

class H2StorageContractTest extends StorageContract {

    private TestDatabase database;

    @Override
    protected Storage newStorage() {
        database = TestDatabases.h2InMemory();
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).build();
        return new Storage(storage, storage.readModel());
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
