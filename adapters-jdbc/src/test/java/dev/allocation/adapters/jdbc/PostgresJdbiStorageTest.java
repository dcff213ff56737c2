package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.PostgresPerClass;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The adapter's own tests on PostgreSQL, with each locking: one database for the class, emptied before each test. */
class PostgresJdbiStorageTest {

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    @Nested
    class WithOptimisticLocking extends JdbiStorageTest {

        WithOptimisticLocking() {
            super(Locking.OPTIMISTIC);
        }

        @Override
        DataSource emptyDatabase() {
            return postgres.database().dataSource();
        }
    }

    @Nested
    class WithPessimisticLocking extends JdbiStorageTest {

        WithPessimisticLocking() {
            super(Locking.PESSIMISTIC);
        }

        @Override
        DataSource emptyDatabase() {
            return postgres.database().dataSource();
        }
    }
}
