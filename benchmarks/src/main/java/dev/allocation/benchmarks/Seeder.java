package dev.allocation.benchmarks;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.sql.*;
import java.util.List;

/**
 * Puts products, batches and allocations in a store fast, in exactly the state the service would have
 * left them in: a batch's allocated quantity is the sum of its lines, the product's version counts every
 * change (one per batch added, one per line allocated), the read model holds every line. JDBC stores are
 * filled with set-based SQL; the memory store, which has no SQL, through the service itself.
 */
final class Seeder {

    /** A batch to seed in the warehouse, holding {@code lines} order lines of 1 (orders {@code <ref>-o<n>}). */
    record SeedBatch(String reference, int purchased, int lines) {
        String orderId(long n) {
            return reference + "-o" + n;
        }
    }

    private Seeder() {
    }

    /**
     * Products {@code <prefix>-0 .. <prefix>-(count-1)} in {@code schema} (null: the default one), each with
     * one batch of a billion units, no lines.
     */
    static void skus(Fixture fixture, AllocationService service, String prefix, int count, String schema)
            throws SQLException {
        if (!fixture.store().isJdbc()) {
            for (int i = 0; i < count; i++) {
                service.handle(new CreateBatch(sku(prefix, i) + "-b", sku(prefix, i), 1_000_000_000, null));
            }
            return;
        }
        try (Connection connection = fixture.connect(schema);
             PreparedStatement product = connection.prepareStatement("INSERT INTO products (sku, version) VALUES (?, 1)");
             PreparedStatement batch = connection.prepareStatement("INSERT INTO batches"
                     + " (reference, sku, purchased_quantity, allocated_quantity, eta) VALUES (?, ?, 1000000000, 0, NULL)")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                product.setString(1, sku(prefix, i));
                product.addBatch();
                batch.setString(1, sku(prefix, i) + "-b");
                batch.setString(2, sku(prefix, i));
                batch.addBatch();
            }
            product.executeBatch();
            batch.executeBatch();
            connection.commit();
        }
    }

    static String sku(String prefix, int i) {
        return prefix + "-" + i;
    }

    /** One product {@code sku} with these batches, in this order, and their lines. */
    static void product(Fixture fixture, AllocationService service, String sku, List<SeedBatch> batches)
            throws SQLException {
        if (!fixture.store().isJdbc()) {
            for (SeedBatch batch : batches) {
                service.handle(new CreateBatch(batch.reference(), sku, batch.purchased(), null));
            }
            for (SeedBatch batch : batches) {   // the service fills the first batch that can take a line
                for (long n = 1; n <= batch.lines(); n++) {
                    service.handle(new Allocate(batch.orderId(n), sku, 1));
                }
            }
            return;
        }
        long version = batches.size();
        fixture.execute("INSERT INTO products (sku, version) VALUES (?, ?)",
                sku, batches.size() + batches.stream().mapToLong(SeedBatch::lines).sum());
        for (SeedBatch batch : batches) {
            fixture.execute("INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                    + " VALUES (?, ?, ?, ?, NULL)", batch.reference(), sku, batch.purchased(), batch.lines());
            String series = fixture.store() == Store.POSTGRESQL ? " FROM generate_series(1, " + batch.lines() + ") s (n)"
                    : " FROM (SELECT X AS n FROM SYSTEM_RANGE(1, " + batch.lines() + ")) s";
            fixture.execute("INSERT INTO allocations (orderid, sku, qty, batchref) SELECT CAST(? AS VARCHAR(255))"
                    + " || CAST(n AS VARCHAR(20)), ?, 1, ?" + series + " ORDER BY n", batch.reference() + "-o", sku,
                    batch.reference());
            fixture.execute("INSERT INTO allocations_view (orderid, sku, batchref, version) SELECT CAST(? AS"
                    + " VARCHAR(255)) || CAST(n AS VARCHAR(20)), ?, ?, ? + n" + series, batch.reference() + "-o", sku,
                    batch.reference(), version);
            version += batch.lines();
        }
    }
}
