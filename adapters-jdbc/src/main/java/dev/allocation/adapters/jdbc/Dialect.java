package dev.allocation.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases this adapter supports: only the read model's upsert (PostgreSQL
 * 14 has no MERGE, H2 has no ON CONFLICT) and how each reports a lost race.
 */
enum Dialect {

    H2("H2") {
        @Override
        String refreshView() {
            return """
                    MERGE INTO allocations_view v
                    USING (SELECT CAST(? AS VARCHAR(255)) AS orderid, p.sku, a.batchref, p.version
                           FROM products p
                           LEFT JOIN allocations a ON a.sku = p.sku AND a.orderid = ?
                           WHERE p.sku = ?) s
                    ON v.orderid = s.orderid AND v.sku = s.sku
                    WHEN MATCHED AND v.version < s.version THEN
                        UPDATE SET batchref = s.batchref, version = s.version
                    WHEN NOT MATCHED THEN
                        INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""";
        }

        @Override
        boolean isLostRace(String sqlState, int errorCode) {
            // 40001 deadlock, HYT00 lock timeout, 90131 concurrent update of a row
            return "40001".equals(sqlState) || "HYT00".equals(sqlState) || errorCode == 90131;
        }
    },

    POSTGRESQL("PostgreSQL") {
        @Override
        String refreshView() {
            return """
                    INSERT INTO allocations_view (orderid, sku, batchref, version)
                    SELECT ?, p.sku, a.batchref, p.version
                    FROM products p
                    LEFT JOIN allocations a ON a.sku = p.sku AND a.orderid = ?
                    WHERE p.sku = ?
                    ON CONFLICT (orderid, sku) DO UPDATE
                        SET batchref = excluded.batchref, version = excluded.version
                        WHERE allocations_view.version < excluded.version""";
        }

        @Override
        boolean isLostRace(String sqlState, int errorCode) {
            // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available
            return "40001".equals(sqlState) || "40P01".equals(sqlState) || "55P03".equals(sqlState);
        }
    };

    private final String productName;

    Dialect(String productName) {
        this.productName = productName;
    }

    /**
     * Copies the truth of an (orderid, sku) into the view unless the view holds a newer version.
     * Parameters: orderid, orderid, sku.
     */
    abstract String refreshView();

    /** True for errors that mean another transaction got in the way: retrying may succeed. */
    abstract boolean isLostRace(String sqlState, int errorCode);

    /** True when a unique constraint refused a row: another unit inserted the same key. */
    boolean isUniqueViolation(String sqlState) {
        return "23505".equals(sqlState);
    }

    static Dialect of(Connection connection) {
        String name;
        try {
            name = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database this is", e);
        }
        for (Dialect dialect : values()) {
            if (dialect.productName.equalsIgnoreCase(name)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("Unsupported database " + name
                + ": the allocation storage runs on H2 2.x and PostgreSQL 14+");
    }

    @Override
    public String toString() {
        return productName.toLowerCase(Locale.ROOT);
    }
}
