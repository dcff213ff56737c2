package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.adapters.memory.InMemoryNotifications;
import dev.allocation.application.AllocationView;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two service instances on one PostgreSQL database are two instances of one service: 8 threads send
 * hundreds of Allocates for one sku through both while a ChangeBatchQuantity shrinks the first batch.
 */
class TwoInstancesOnPostgresTest {

    private static final int THREADS = 8;
    private static final int ORDERS_PER_THREAD = 40;
    private static final String SKU = "HOT-SKU";

    private TestDatabase database;
    private final InMemoryNotifications notifications = new InMemoryNotifications();

    @BeforeEach
    void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @ParameterizedTest
    @EnumSource(JdbiStorage.Locking.class)
    void never_over_allocate_and_answer_every_order_while_a_batch_shrinks(JdbiStorage.Locking locking)
            throws Exception {
        try (AllocationService first = service(locking); AllocationService second = service(locking)) {
            first.handle(new CreateBatch("warehouse", SKU, 200, null));
            second.handle(new CreateBatch("shipment", SKU, 100, LocalDate.now().plusDays(2)));

            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                AllocationService service = t % 2 == 0 ? first : second;
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                        service.handle(new Allocate(orderId(thread, i), SKU, 1));
                    }
                    return null;
                }));
            }
            results.add(pool.submit(() -> {
                start.await();
                Thread.sleep(50);
                second.handle(new ChangeBatchQuantity("warehouse", 150));
                return null;
            }));
            start.countDown();
            for (Future<?> result : results) {
                result.get(300, TimeUnit.SECONDS);   // no command failed, for contention or anything else
            }
            pool.shutdown();

            Map<String, Integer> allocatedPerBatch = allocatedPerBatch();
            assertThat(allocatedPerBatch.get("warehouse")).isEqualTo(150);
            assertThat(allocatedPerBatch.get("shipment")).isEqualTo(100);
            assertThat(storedQuantitiesMatchStoredLines()).isTrue();

            int allocatedOrders = 0;
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                    List<AllocationView> seenByFirst = first.allocations(orderId(t, i));
                    assertThat(seenByFirst).hasSizeLessThanOrEqualTo(1).isEqualTo(second.allocations(orderId(t, i)));
                    allocatedOrders += seenByFirst.size();
                }
            }
            int orders = THREADS * ORDERS_PER_THREAD;
            assertThat(allocatedOrders).isEqualTo(250);
            assertThat(notifications.sentTo("stock@made.com")).hasSizeGreaterThanOrEqualTo(orders - 250);
        }
    }

    private AllocationService service(JdbiStorage.Locking locking) {
        return Bootstrap.builder().jdbc(database.url(), database.user(), database.password())
                .locking(locking).notifications(notifications).build();
    }

    private static String orderId(int thread, int i) {
        return "order-" + thread + "-" + i;
    }

    private Map<String, Integer> allocatedPerBatch() throws SQLException {
        Map<String, Integer> perBatch = new HashMap<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT batchref, SUM(qty) FROM allocations GROUP BY batchref")) {
            while (rows.next()) {
                perBatch.put(rows.getString(1), rows.getInt(2));
            }
        }
        return perBatch;
    }

    private boolean storedQuantitiesMatchStoredLines() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT COUNT(*) FROM batches b WHERE b.allocated_quantity > b.purchased_quantity"
                             + " OR b.allocated_quantity <> (SELECT COALESCE(SUM(a.qty), 0) FROM allocations a"
                             + " WHERE a.batchref = b.reference)")) {
            rows.next();
            return rows.getInt(1) == 0;
        }
    }
}
