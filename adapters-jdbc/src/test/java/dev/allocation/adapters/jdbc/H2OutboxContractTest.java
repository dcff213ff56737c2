package dev.allocation.adapters.jdbc;

import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.contracts.OutboxContract;
import dev.allocation.application.port.Storage;

/** The outbox contract on H2 in memory, a fresh database for each test. */
class H2OutboxContractTest extends OutboxContract {

    private TestDatabase h2;

    @Override
    protected Storage newStorage() {
        h2 = TestDatabases.h2InMemory();
        return JdbiStorage.builder(h2.dataSource()).build();
    }

    @Override
    protected void closeStorage() {
        h2.close();
    }
}
