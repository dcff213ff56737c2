package dev.allocation.adapters.jdbc;

import dev.allocation.testing.PostgresPerClass;
import dev.allocation.contracts.OutboxContract;
import dev.allocation.application.port.Storage;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox contract on PostgreSQL: one database for the class, emptied before each test. */
class PostgresOutboxContractTest extends OutboxContract {

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    @Override
    protected Storage newStorage() {
        return JdbiStorage.builder(postgres.database().dataSource()).build();
    }
}
