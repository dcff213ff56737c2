package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@SkipContractTests(value = "a_stale_product_is_refused_and_nothing_of_it_is_written",
        because = "with pessimistic locking the second unit of one thread waits for the first one's row lock;"
                + " PessimisticLockingTest covers two writers on two threads")
class PostgresPessimisticStorageContractTest extends StorageContract {

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
        JdbiStorage storage = JdbiStorage.builder(database.dataSource()).locking(Locking.PESSIMISTIC).build();
        Tables.truncateAll(database.dataSource());
        return new Storage(storage, storage.readModel());
    }
}
