package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The adapter's own tests on H2 in memory, a fresh database for each test, with each locking. */
class H2JdbiStorageTest {

    private TestDatabase h2;

    @AfterEach
    void dropDatabase() {
        if (h2 != null) {
            h2.close();
        }
    }

    private DataSource aFreshDatabase() {
        h2 = TestDatabases.h2InMemory();
        return h2.dataSource();
    }

    @Nested
    class WithOptimisticLocking extends JdbiStorageTest {

        WithOptimisticLocking() {
            super(Locking.OPTIMISTIC);
        }

        @Override
        DataSource emptyDatabase() {
            return aFreshDatabase();
        }
    }

    @Nested
    class WithPessimisticLocking extends JdbiStorageTest {

        WithPessimisticLocking() {
            super(Locking.PESSIMISTIC);
        }

        @Override
        DataSource emptyDatabase() {
            return aFreshDatabase();
        }
    }
}
