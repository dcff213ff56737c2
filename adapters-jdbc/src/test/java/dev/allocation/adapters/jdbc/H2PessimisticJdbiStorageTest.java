package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;

class H2PessimisticJdbiStorageTest extends H2JdbiStorageTest {

    @Override
    Locking locking() {
        return Locking.PESSIMISTIC;
    }
}
