package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.testing.TestDatabase;
import dev.allocation.adapters.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * JDBI's own cost against plain JDBC on H2 in memory: per statement, and per handle and transaction.
 * Run with {@code -Dallocation.probe=true -Dtest=JdbiOverheadProbe}.
 */
@EnabledIfSystemProperty(named = "allocation.probe", matches = "true")
class JdbiOverheadProbe {

    @Test
    void per_unit_lifecycle() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl(h2.url());
            config.setUsername("sa");
            try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
                Jdbi jdbi = Jdbi.create(pool);
                for (int round = 0; round < 5; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        try (Connection c = pool.getConnection()) {
                            c.getTransactionIsolation();
                            c.setAutoCommit(false);
                            c.commit();
                            c.setAutoCommit(true);
                        }
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        try (Handle handle = jdbi.open()) {
                            handle.getConnection().getTransactionIsolation();
                            handle.begin();
                            handle.commit();
                        }
                    }
                    long t2 = System.nanoTime();
                    System.out.printf("unit lifecycle: raw %.1f us, jdbi %.1f us%n",
                            (t1 - t0) / 1e5 / 1000, (t2 - t1) / 1e5 / 1000);
                }
            }
        }
    }

    @Test
    void per_statement() throws Exception {
        try (TestDatabase h2 = TestDatabases.h2InMemory()) {
            JdbiStorage.builder(h2.dataSource()).build();
            Jdbi jdbi = Jdbi.create(h2.dataSource());
            try (Handle handle = jdbi.open()) {
                handle.execute("INSERT INTO products (sku, version) VALUES ('a', 1)");
                Connection c = handle.getConnection();
                for (int round = 0; round < 5; round++) {
                    long t0 = System.nanoTime();
                    long sum = 0;
                    for (int i = 0; i < 100_000; i++) {
                        try (PreparedStatement s = c.prepareStatement("SELECT version FROM products WHERE sku = ?")) {
                            s.setString(1, "a");
                            try (ResultSet rs = s.executeQuery()) {
                                rs.next();
                                sum += rs.getLong(1);
                            }
                        }
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        sum += handle.createQuery("SELECT version FROM products WHERE sku = :sku")
                                .bind("sku", "a").mapTo(Long.class).one();
                    }
                    long t2 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        sum += handle.createQuery("SELECT version FROM products WHERE sku = ?")
                                .bind(0, "a").map((rs, ctx) -> rs.getLong(1)).one();
                    }
                    long t3 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        sum += handle.createUpdate("UPDATE products SET version = :v WHERE sku = :sku")
                                .bind("v", 1L).bind("sku", "a").execute();
                    }
                    long t4 = System.nanoTime();
                    for (int i = 0; i < 100_000; i++) {
                        try (PreparedStatement s = c.prepareStatement("UPDATE products SET version = ? WHERE sku = ?")) {
                            s.setLong(1, 1L);
                            s.setString(2, "a");
                            sum += s.executeUpdate();
                        }
                    }
                    long t5 = System.nanoTime();
                    System.out.printf("select raw %.1f us, jdbi mapTo %.1f us, jdbi lambda %.1f us; update jdbi %.1f us, raw %.1f us (%d)%n",
                            (t1 - t0) / 1e5 / 1000, (t2 - t1) / 1e5 / 1000, (t3 - t2) / 1e5 / 1000,
                            (t4 - t3) / 1e5 / 1000, (t5 - t4) / 1e5 / 1000, sum % 10);
                }
            }
        }
    }
}
