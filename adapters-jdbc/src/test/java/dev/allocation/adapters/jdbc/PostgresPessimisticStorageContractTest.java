package dev.allocation.adapters.jdbc;

@SkipContractTests(value = "a_stale_product_is_refused_and_nothing_of_it_is_written",
        because = "with pessimistic locking the second unit of one thread waits for the first one's row lock;"
                + " PessimisticLockingTest covers two writers on two threads")
class PostgresPessimisticStorageContractTest extends PostgresStorageContractTest {

    @Override
    JdbiStorage.Locking locking() {
        return JdbiStorage.Locking.PESSIMISTIC;
    }
}
