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
    private static final int PER_ROUND = 3000;

    @Test
    void postgres() throws Exception {
        try (TestDatabase postgres = TestDatabases.postgres()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.url());
            config.setUsername(postgres.user());
            config.setPassword(postgres.password());
            config.setMaximumPoolSize(8);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                probe("PostgreSQL", pool, 10);
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
                probe("H2 in memory", pool, 1);
            }
        }
    }

    private void probe(String name, DataSource pool, int slower) throws Exception {
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
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> adapterCpu = new ArrayList<>();
        List<Double> rawCpu = new ArrayList<>();
        for (int round = 0; round < 60 / (slower > 1 ? 3 : 1); round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 1000 / slower * (slower > 1 ? 3 : 1); i++) {
                long n = orders.incrementAndGet();
                String sku = "sku-" + (n % SKUS);
                try (UnitOfWork uow = storage.start()) {
                    uow.products().get(sku).orElseThrow().allocate(new OrderLine("o" + n, sku, 1));
                    uow.commit();
                }
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 1000 / slower * (slower > 1 ? 3 : 1); i++) {
                long n = orders.incrementAndGet();
                rawAllocate(pool, "o" + n, "sku-" + (n % SKUS));
            }
            long t2 = mx.getCurrentThreadCpuTime();
            adapterCpu.add((t1 - t0) / (1000.0 / slower * (slower > 1 ? 3 : 1)) / 1000.0);
            rawCpu.add((t2 - t1) / (1000.0 / slower * (slower > 1 ? 3 : 1)) / 1000.0);
        }
        java.util.Collections.sort(adapterCpu);
        java.util.Collections.sort(rawCpu);
        long[] phases = new long[5];
        for (int i = 0; i < 200_000 / slower; i++) {
            long n = orders.incrementAndGet();
            String sku = "sku-" + (n % SKUS);
            long a = System.nanoTime();
            UnitOfWork uow = storage.start();
            Product product = uow.products().get(sku).orElseThrow();
            long b = System.nanoTime();
            product.allocate(new OrderLine("o" + n, sku, 1));
            long c = System.nanoTime();
            uow.commit();
            long d = System.nanoTime();
            uow.close();
            long e = System.nanoTime();
            if (i >= 100_000 / slower) {
                phases[0] += b - a;
                phases[1] += c - b;
                phases[2] += d - c;
                phases[3] += e - d;
            }
        }
        System.out.printf("%s phases (us): start+get %.1f, allocate %.1f, commit %.1f, close %.1f%n", name,
                phases[0] / 1e8 * slower, phases[1] / 1e8 * slower, phases[2] / 1e8 * slower, phases[3] / 1e8 * slower);
        java.util.Arrays.fill(RAW_PHASES, 0);
        for (int i = 0; i < 100_000 / slower; i++) {
            long n = orders.incrementAndGet();
            rawAllocate(pool, "o" + n, "sku-" + (n % SKUS));
        }
        System.out.printf("%s raw phases (us): reads %.1f, writes %.1f, commit %.1f%n", name,
                RAW_PHASES[0] / 1e3 / RAW_PHASES[3], RAW_PHASES[1] / 1e3 / RAW_PHASES[3], RAW_PHASES[2] / 1e3 / RAW_PHASES[3]);
        System.out.printf("%s: client CPU per Allocate, median of rounds: adapter %.0f us, raw JDBC %.0f us%n",
                name, adapterCpu.get(adapterCpu.size() / 2), rawCpu.get(rawCpu.size() / 2));
        for (int round = 0; round < 1; round++) {
            for (int threads : new int[] {1, 8}) {
                double adapter = rate(threads, () -> {
                    long n = orders.incrementAndGet();
                    String sku = "sku-" + (n % SKUS);
                    try (UnitOfWork uow = storage.start()) {
                        uow.products().get(sku).orElseThrow().allocate(new OrderLine("o" + n, sku, 1));
                        uow.commit();
                    }
                });
                double raw = rate(threads, () -> {
                    long n = orders.incrementAndGet();
                    rawAllocate(pool, "o" + n, "sku-" + (n % SKUS));
                });
                double refresh = rate(threads, () -> {
                    long n = orders.incrementAndGet();
                    storage.readModel().refresh("o" + (n % 5000), "sku-" + (n % SKUS));
                });
                System.out.printf("%s, %d thread(s): adapter %.0f/s, raw JDBC %.0f/s, ratio %.2f; refresh %.0f/s%n",
                        name, threads, adapter, raw, adapter / raw, refresh);
            }
        }
    }

    /** The statements the adapter issues for one Allocate, by hand. */
    private static void rawAllocate(DataSource pool, String orderId, String sku) throws SQLException {
        long r = System.nanoTime();
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
            long w = System.nanoTime();
            RAW_PHASES[0] += w - r;
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
            long x = System.nanoTime();
            c.commit();
            long y = System.nanoTime();
            RAW_PHASES[1] += x - w;
            RAW_PHASES[2] += y - x;
            RAW_PHASES[3]++;
        }
    }

    static final long[] RAW_PHASES = new long[4];

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private static double rate(int threads, Work work) throws Exception {
        int each = PER_ROUND / threads;
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
