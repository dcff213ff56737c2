package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.port.Storage;
import dev.allocation.contracts.StorageContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The port contract on H2 in memory, a fresh database for each test, with each locking. */
class H2StorageContractTest {

    private TestDatabase h2;

    @AfterEach
    void dropDatabase() {
        if (h2 != null) {
            h2.close();
        }
    }

    private Storage onAFreshDatabase(Locking locking) {
        h2 = TestDatabases.h2InMemory();
        return JdbiStorage.builder(h2.dataSource()).locking(locking).build();
    }

    @Nested
    class WithOptimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return onAFreshDatabase(Locking.OPTIMISTIC);
        }
    }

    /** Two writers of one product on two threads: {@link PessimisticLockingTest}. */
    @Nested
    class WithPessimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return onAFreshDatabase(Locking.PESSIMISTIC);
        }

        @Override
        protected boolean oneThreadCanHoldTwoUnitsReadingOneProduct() {
            return false;
        }
    }
}
