package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;

@SkipContractTests(value = "a_stale_product_is_refused_and_nothing_of_it_is_written",
        because = "with pessimistic locking the second unit of one thread waits for the first one's row lock;"
                + " PessimisticLockingTest covers two writers on two threads")
class H2PessimisticStorageContractTest extends StorageContract {

    private TestDatabase database;

    @Override
    protected Storage newStorage() {
        database = TestDatabases.h2InMemory();
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).locking(Locking.PESSIMISTIC).build();
        return new Storage(storage, storage.readModel());
    }

    @Override
    protected void closeStorage() {
        database.close();
    }
}
