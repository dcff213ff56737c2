package dev.allocation.benchmarks;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.*;
import java.sql.SQLException;
import java.util.stream.Stream;

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
        String tables = schema == null ? "" : schema + ".";
        fixture.execute("INSERT INTO " + tables + "products (sku, version) SELECT CAST(? AS VARCHAR(255))"
                + " || CAST(n AS VARCHAR(20)), 1" + series(fixture, 0, count - 1), prefix + "-");
        fixture.execute("INSERT INTO " + tables + "batch_references (reference, sku)"
                + " SELECT sku || '-b', sku FROM " + tables + "products WHERE sku LIKE ?", prefix + "-%");
        fixture.execute("INSERT INTO " + tables + "batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                + " SELECT sku || '-b', sku, 1000000000, 0, NULL FROM " + tables + "products WHERE sku LIKE ?", prefix + "-%");
    }

    static String sku(String prefix, int i) {
        return prefix + "-" + i;
    }

    /**
     * One product {@code sku} with these batches, in this order, and their lines; on a JDBC store the
     * planner's statistics brought up to date after, as autovacuum would in production.
     */
    static void product(Fixture fixture, AllocationService service, String sku, SeedBatch... batches)
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
        long version = batches.length;
        fixture.execute("INSERT INTO products (sku, version) VALUES (?, ?)",
                sku, batches.length + Stream.of(batches).mapToLong(SeedBatch::lines).sum());
        for (SeedBatch batch : batches) {
            fixture.execute("INSERT INTO batch_references (reference, sku) VALUES (?, ?)", batch.reference(), sku);
            fixture.execute("INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)"
                    + " VALUES (?, ?, ?, ?, NULL)", batch.reference(), sku, batch.purchased(), batch.lines());
            String series = series(fixture, 1, batch.lines());
            fixture.execute("INSERT INTO allocations (orderid, sku, qty, batchref) SELECT CAST(? AS VARCHAR(255))"
                    + " || CAST(n AS VARCHAR(20)), ?, 1, ?" + series + " ORDER BY n", batch.reference() + "-o", sku,
                    batch.reference());
            fixture.execute("INSERT INTO allocations_view (orderid, sku, batchref, version) SELECT CAST(? AS"
                    + " VARCHAR(255)) || CAST(n AS VARCHAR(20)), ?, ?, ? + n" + series, batch.reference() + "-o", sku,
                    batch.reference(), version);
            version += batch.lines();
        }
        fixture.execute("ANALYZE");
    }

    /** The rows {@code n} from {@code first} to {@code last}, as a FROM clause. */
    private static String series(Fixture fixture, int first, int last) {
        return fixture.store() == Store.POSTGRESQL ? " FROM generate_series(" + first + ", " + last + ") s (n)"
                : " FROM (SELECT X AS n FROM SYSTEM_RANGE(" + first + ", " + last + ")) s";
    }
}
