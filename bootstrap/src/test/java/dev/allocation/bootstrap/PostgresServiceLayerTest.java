package dev.allocation.bootstrap;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.testing.PostgresPerClass;
import dev.allocation.testing.TestDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service layer on PostgreSQL through a pool the service owns, with each locking: one database for
 * the class, emptied before each test.
 */
class PostgresServiceLayerTest {

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    private static Bootstrap.Builder onTheEmptiedDatabase(Bootstrap.Builder builder, Locking locking) {
        TestDatabase database = postgres.database();
        return builder.jdbc(database.url(), database.user(), database.password()).locking(locking);
    }

    @Nested
    class WithOptimisticLocking extends ServiceLayerTest {

        @Override
        protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
            return onTheEmptiedDatabase(builder, Locking.OPTIMISTIC);
        }
    }

    /** For hot skus: writers of one sku wait for each other instead of retrying. */
    @Nested
    class WithPessimisticLocking extends ServiceLayerTest {

        @Override
        protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
            return onTheEmptiedDatabase(builder, Locking.PESSIMISTIC);
        }
    }
}
