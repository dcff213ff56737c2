package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.JdbiStorage;

/** The service layer on PostgreSQL with pessimistic locking (for hot skus). */
class PostgresPessimisticServiceLayerTest extends PostgresServiceLayerTest {

    @Override
    JdbiStorage.Locking locking() {
        return JdbiStorage.Locking.PESSIMISTIC;
    }
}
