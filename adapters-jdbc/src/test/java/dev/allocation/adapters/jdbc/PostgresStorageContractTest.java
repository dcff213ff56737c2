package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.PostgresPerClass;
import dev.allocation.application.port.Storage;
import dev.allocation.contracts.StorageContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The port contract on PostgreSQL, with each locking: one database for the class, emptied before each test. */
class PostgresStorageContractTest {

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    private static Storage onTheEmptiedDatabase(Locking locking) {
        return JdbiStorage.builder(postgres.database().dataSource()).locking(locking).build();
    }

    @Nested
    class WithOptimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return onTheEmptiedDatabase(Locking.OPTIMISTIC);
        }
    }

    /** Two writers of one product on two threads: {@link PessimisticLockingTest}. */
    @Nested
    class WithPessimisticLocking extends StorageContract {

        @Override
        protected Storage newStorage() {
            return onTheEmptiedDatabase(Locking.PESSIMISTIC);
        }

        @Override
        protected boolean oneThreadCanHoldTwoUnitsReadingOneProduct() {
            return false;
        }
    }
}
