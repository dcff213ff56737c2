package dev.allocation.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases this adapter supports: only the read model's upserts (PostgreSQL
 * 14 has no MERGE, H2 has no ON CONFLICT) and how each reports a lost race or an outage.
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
                    WHEN MATCHED AND v.version <= s.version THEN
                        UPDATE SET batchref = s.batchref, version = s.version
                    WHEN NOT MATCHED THEN
                        INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""";
        }

        @Override
        String writeView() {
            return """
                    MERGE INTO allocations_view v
                    USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),
                                   CAST(? AS BIGINT))) s (orderid, sku, batchref, version)
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

        @Override
        boolean isOutage(String sqlState, int errorCode) {
            // 90067 connection broken, 90098 database closed, 90121 called at shutdown
            return errorCode == 90067 || errorCode == 90098 || errorCode == 90121;
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
                        WHERE allocations_view.version <= excluded.version""";
        }

        @Override
        String writeView() {
            return """
                    INSERT INTO allocations_view (orderid, sku, batchref, version)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (orderid, sku) DO UPDATE
                        SET batchref = excluded.batchref, version = excluded.version
                        WHERE allocations_view.version < excluded.version""";
        }

        @Override
        boolean isLostRace(String sqlState, int errorCode) {
            // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available
            return "40001".equals(sqlState) || "40P01".equals(sqlState) || "55P03".equals(sqlState);
        }

        @Override
        boolean isOutage(String sqlState, int errorCode) {
            // 57P01-57P03 shutting down, starting or crashed; 57014 statement timeout; 53300 too many
            // connections
            return sqlState != null && (sqlState.startsWith("57P") || "57014".equals(sqlState) || "53300".equals(sqlState));
        }
    };

    private final String productName;

    Dialect(String productName) {
        this.productName = productName;
    }

    /**
     * Copies the truth of an (orderid, sku) into the view unless the view holds a newer version: a
     * repair, in a transaction of its own. Parameters: orderid, orderid, sku.
     */
    abstract String refreshView();

    /**
     * Writes one view row as a unit of work's commit leaves it, unless the view holds a newer version.
     * Parameters: orderid, sku, batchref (null: not allocated), version.
     */
    abstract String writeView();

    /** True for errors that mean another transaction got in the way: retrying may succeed. */
    abstract boolean isLostRace(String sqlState, int errorCode);

    /**
     * True for this database's own ways of saying it cannot serve now (beyond the standard connection
     * errors, SQLSTATE class 08): retrying later may succeed.
     */
    abstract boolean isOutage(String sqlState, int errorCode);

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
