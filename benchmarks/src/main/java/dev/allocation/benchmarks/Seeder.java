package dev.allocation.benchmarks;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Puts products, batches and allocations in a store fast, in exactly the state the service would have
 * left them in: every batch's allocated quantity is the sum of its lines, the product's version counts
 * every change (one per batch added, one per line allocated), the read model holds every line. JDBC
 * stores are filled with set-based SQL; the memory store, which has no SQL, through the service itself.
 */
final class Seeder {

    /** A batch to seed, holding {@code lines} order lines of quantity 1 (orders {@code <ref>-o<n>}). */
    record SeedBatch(String reference, int purchased, int lines) {
        SeedBatch {
            if (lines > purchased) {
                throw new IllegalArgumentException("A batch cannot hold more than it has");
            }
        }

        /** The order id of line {@code n} (1-based) of this batch. */
        String orderId(long n) {
            return reference + "-o" + n;
        }
    }

    private Seeder() {
    }

    /**
     * Products {@code <prefix>-0 .. <prefix>-(count-1)}, each with one batch {@code <sku>-b} of a
     * billion units in the warehouse and no lines.
     */
    static void skus(Fixture fixture, AllocationService service, String prefix, int count) throws SQLException {
        int purchased = 1_000_000_000;
        if (!fixture.store().isJdbc()) {
            for (int i = 0; i < count; i++) {
                service.handle(new CreateBatch(prefix + "-" + i + "-b", prefix + "-" + i, purchased, null));
            }
            return;
        }
        try (Connection connection = fixture.database().connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement product = connection.prepareStatement(
                    "INSERT INTO products (sku, version) VALUES (?, 1)");
                 PreparedStatement batch = connection.prepareStatement(
                         "INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                                 + " VALUES (?, ?, ?, 0, NULL)")) {
                for (int i = 0; i < count; i++) {
                    String sku = prefix + "-" + i;
                    product.setString(1, sku);
                    product.addBatch();
                    batch.setString(1, sku + "-b");
                    batch.setString(2, sku);
                    batch.setInt(3, purchased);
                    batch.addBatch();
                }
                product.executeBatch();
                batch.executeBatch();
            }
            connection.commit();
        }
    }

    /** The name of sku number {@code i} of {@link #skus}. */
    static String sku(String prefix, int i) {
        return prefix + "-" + i;
    }

    /** One product {@code sku} with these batches (in this order, all in the warehouse) and their lines. */
    static void product(Fixture fixture, AllocationService service, String sku, List<SeedBatch> batches)
            throws SQLException {
        if (!fixture.store().isJdbc()) {
            for (SeedBatch batch : batches) {
                service.handle(new CreateBatch(batch.reference(), sku, batch.purchased(), null));
            }
            // the service fills the first batch that can take a line: seed them in order
            for (SeedBatch batch : batches) {
                for (long n = 1; n <= batch.lines(); n++) {
                    service.handle(new Allocate(batch.orderId(n), sku, 1));
                }
            }
            return;
        }
        SqlDialect dialect = fixture.database().dialect();
        long version = batches.size();
        try (Connection connection = fixture.database().connect()) {
            connection.setAutoCommit(false);
            long totalLines = batches.stream().mapToLong(SeedBatch::lines).sum();
            try (PreparedStatement product = connection.prepareStatement(
                    "INSERT INTO products (sku, version) VALUES (?, ?)")) {
                product.setString(1, sku);
                product.setLong(2, batches.size() + totalLines);
                product.executeUpdate();
            }
            for (SeedBatch batch : batches) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                                + " VALUES (?, ?, ?, ?, NULL)")) {
                    insert.setString(1, batch.reference());
                    insert.setString(2, sku);
                    insert.setInt(3, batch.purchased());
                    insert.setInt(4, batch.lines());
                    insert.executeUpdate();
                }
                if (batch.lines() == 0) {
                    continue;
                }
                try (PreparedStatement lines = connection.prepareStatement(
                        "INSERT INTO allocations (orderid, sku, qty, batchref)"
                                + " SELECT CAST(? AS VARCHAR(255)) || CAST(n AS VARCHAR(20)), ?, 1, ?"
                                + " FROM (" + dialect.series(batch.lines()) + ") s ORDER BY n")) {
                    lines.setString(1, batch.reference() + "-o");
                    lines.setString(2, sku);
                    lines.setString(3, batch.reference());
                    lines.executeUpdate();
                }
                try (PreparedStatement view = connection.prepareStatement(
                        "INSERT INTO allocations_view (orderid, sku, batchref, version)"
                                + " SELECT CAST(? AS VARCHAR(255)) || CAST(n AS VARCHAR(20)), ?, ?, ? + n"
                                + " FROM (" + dialect.series(batch.lines()) + ") s")) {
                    view.setString(1, batch.reference() + "-o");
                    view.setString(2, sku);
                    view.setString(3, batch.reference());
                    view.setLong(4, version);
                    view.executeUpdate();
                }
                version += batch.lines();
            }
            connection.commit();
        }
    }
}
