package dev.allocation.adapters.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick probe, not a benchmark (that is the benchmarks module's job): one Allocate unit of work
 * through the adapter against the same statements in plain JDBC, on a pooled PostgreSQL and on H2.
 * Run with {@code -Dallocation.probe=true -Dtest=AllocateCostProbe}.
 */
@EnabledIfSystemProperty(named = "allocation.probe", matches = "true")
class AllocateCostProbe {

    private static final int SKUS = 200;

    @Test
    void postgres() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.url());
            config.setUsername(postgres.user());
            config.setPassword(postgres.password());
            config.setMaximumPoolSize(8);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                probe("PostgreSQL", pool, 200);
            }
        }
    }

    /** With log_statement = all on the test database: what reaches the server for one Allocate. */
    @Test
    void postgres_statements_on_the_server() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            JdbiStorage.builder(postgres.dataSource()).build();
            try (Connection c = postgres.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + postgres.url().substring(postgres.url().lastIndexOf('/') + 1)
                        + " SET log_statement = 'all'");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.url());
            config.setUsername(postgres.user());
            config.setMaximumPoolSize(1);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                JdbiStorage storage = JdbiStorage.builder(pool).migrate(false).build();
                try (UnitOfWork uow = storage.start()) {
                    uow.products().add(new Product("s", new ArrayList<>(List.of(new Batch("b", "s", 1000, null)))));
                    uow.commit();
                }
                for (int i = 0; i < 12; i++) {
                    if (i == 10) {
                        storage.readModel().allocationsFor("---- marker ----");
                    }
                    try (UnitOfWork uow = storage.start()) {
                        uow.products().get("s").orElseThrow().allocate(new OrderLine("o" + i, "s", 1));
                        uow.commit();
                    }
                    storage.readModel().refresh("o" + i, "s");
                }
            }
        }
    }

    @Test
    void h2() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(h2.url());
            config.setUsername(h2.user());
            config.setMaximumPoolSize(8);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                probe("H2 in memory", pool, 2000);
            }
        }
    }

    /**
     * Client CPU per Allocate, adapter against plain JDBC, measured in interleaved slices so that
     * background load weighs on both alike; then throughput at 1 and 8 threads, also interleaved.
     */
    private void probe(String name, DataSource pool, int slice) throws Exception {
        JdbiStorage storage = JdbiStorage.builder(pool).build();
        for (int i = 0; i < SKUS; i++) {
            try (UnitOfWork uow = storage.start()) {
                uow.products().add(new Product("sku-" + i, new ArrayList<>(List.of(
                        new Batch("b-" + i, "sku-" + i, 1_000_000, null),
                        new Batch("s-" + i, "sku-" + i, 1_000_000, JdbiStorageTest.TOMORROW)))));
                uow.commit();
            }
        }
        AtomicLong orders = new AtomicLong();
        Work adapter = () -> {
            long n = orders.incrementAndGet();
            String sku = "sku-" + (n % SKUS);
            try (UnitOfWork uow = storage.start()) {
                uow.products().get(sku).orElseThrow().allocate(new OrderLine("o" + n, sku, 1));
                uow.commit();
            }
        };
        Work raw = () -> {
            long n = orders.incrementAndGet();
            rawAllocate(pool, "o" + n, "sku-" + (n % SKUS));
        };
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> adapterCpu = new ArrayList<>();
        List<Double> rawCpu = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            adapterCpu.add(cpuMicros(mx, adapter, slice));
            rawCpu.add(cpuMicros(mx, raw, slice));
        }
        java.util.Collections.sort(adapterCpu);
        java.util.Collections.sort(rawCpu);
        System.out.printf("%s: client CPU per Allocate (median of 40 slices of %d): adapter %.0f us, raw JDBC %.0f us%n",
                name, slice, adapterCpu.get(20), rawCpu.get(20));
        com.sun.management.ThreadMXBean memory = (com.sun.management.ThreadMXBean) mx;
        long id = Thread.currentThread().getId();
        long b0 = memory.getThreadAllocatedBytes(id);
        for (int i = 0; i < slice; i++) {
            adapter.run();
        }
        long b1 = memory.getThreadAllocatedBytes(id);
        for (int i = 0; i < slice; i++) {
            raw.run();
        }
        long b2 = memory.getThreadAllocatedBytes(id);
        System.out.printf("%s: bytes allocated per Allocate: adapter %d, raw JDBC %d%n", name,
                (b1 - b0) / slice, (b2 - b1) / slice);
        for (int threads : new int[] {1, 8}) {
            double adapterTotal = 0;
            double rawTotal = 0;
            for (int round = 0; round < 6; round++) {
                adapterTotal += rate(threads, slice, adapter);
                rawTotal += rate(threads, slice, raw);
            }
            System.out.printf("%s, %d thread(s): adapter %.0f/s, raw JDBC %.0f/s, ratio %.2f%n",
                    name, threads, adapterTotal / 6, rawTotal / 6, adapterTotal / rawTotal);
        }
    }

    private static double cpuMicros(java.lang.management.ThreadMXBean mx, Work work, int times) throws Exception {
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < times; i++) {
            work.run();
        }
        return (mx.getCurrentThreadCpuTime() - start) / 1000.0 / times;
    }

    /** The statements the adapter issues for one Allocate, by hand. */
    private static void rawAllocate(DataSource pool, String orderId, String sku) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            long version = -1;
            String chosen = null;
            int purchased = 0;
            int allocated = 0;
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
                    FROM products p LEFT JOIN batches b ON b.sku = p.sku WHERE p.sku = ? ORDER BY b.id""")) {
                s.setString(1, sku);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        version = rs.getLong(2);
                        if (chosen == null && rs.getObject(6) == null) {
                            chosen = rs.getString(3);
                            purchased = rs.getInt(4);
                            allocated = rs.getInt(5);
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?")) {
                s.setString(1, orderId);
                s.setString(2, sku);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE products SET version = ? WHERE sku = ? AND version = ?")) {
                s.setLong(1, version + 1);
                s.setString(2, sku);
                s.setLong(3, version);
                if (s.executeUpdate() != 1) {
                    c.rollback();
                    return;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)")) {
                s.setString(1, orderId);
                s.setString(2, sku);
                s.setInt(3, 1);
                s.setString(4, chosen);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE reference = ?")) {
                s.setInt(1, purchased);
                s.setInt(2, allocated + 1);
                s.setString(3, chosen);
                s.executeUpdate();
            }
            c.commit();
        }
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private static double rate(int threads, int operations, Work work) throws Exception {
        int each = operations / threads;
        long start = System.nanoTime();
        JdbiStorageTest.runConcurrently(threads, each, (thread, i) -> {
            try {
                work.run();
            } catch (dev.allocation.application.port.ConcurrencyConflict lost) {
                // counted as done: both sides race alike
            }
            return null;
        });
        return threads * each / ((System.nanoTime() - start) / 1e9);
    }
}
