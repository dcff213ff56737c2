package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;

class PostgresPessimisticJdbiStorageTest extends PostgresJdbiStorageTest {

    @Override
    Locking locking() {
        return Locking.PESSIMISTIC;
    }
}
