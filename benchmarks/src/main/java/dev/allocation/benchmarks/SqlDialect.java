package dev.allocation.benchmarks;

import java.sql.SQLException;

/** What differs between H2 and PostgreSQL for the raw reference and for seeding. */
enum SqlDialect {

    H2 {
        @Override
        String refreshView() {
            // adapters-jdbc Dialect.H2.refreshView(), :orderid, :orderid, :sku made positional
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
            // adapters-jdbc Dialect.H2.writeView()
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
        String series(long count) {
            return "SELECT X AS n FROM SYSTEM_RANGE(1, " + count + ")";
        }

        @Override
        boolean isLostRace(SQLException e) {
            String state = e.getSQLState();
            return "40001".equals(state) || "HYT00".equals(state) || e.getErrorCode() == 90131;
        }
    },

    POSTGRESQL {
        @Override
        String refreshView() {
            // adapters-jdbc Dialect.POSTGRESQL.refreshView(), :orderid, :orderid, :sku made positional
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
            // adapters-jdbc Dialect.POSTGRESQL.writeView()
            return """
                    INSERT INTO allocations_view (orderid, sku, batchref, version)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (orderid, sku) DO UPDATE
                        SET batchref = excluded.batchref, version = excluded.version
                        WHERE allocations_view.version < excluded.version""";
        }

        @Override
        String series(long count) {
            return "SELECT g AS n FROM generate_series(1, " + count + ") g";
        }

        @Override
        boolean isLostRace(SQLException e) {
            String state = e.getSQLState();
            return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
        }
    };

    /**
     * The read model's repair, in a transaction of its own: copies what the allocations table holds for
     * (orderid, sku). Parameters (orderid, orderid, sku).
     */
    abstract String refreshView();

    /**
     * The read-model row a unit of work writes in its own transaction, as its commit leaves it.
     * Parameters (orderid, sku, batchref, version).
     */
    abstract String writeView();

    /** A query of one BIGINT column {@code n} from 1 to {@code count}, for bulk inserts. */
    abstract String series(long count);

    /** True when another transaction got in the way (what the adapter turns into a ConcurrencyConflict). */
    abstract boolean isLostRace(SQLException e);
}
