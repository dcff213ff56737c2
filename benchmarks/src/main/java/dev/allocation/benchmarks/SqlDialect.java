package dev.allocation.benchmarks;

import java.sql.SQLException;
import java.util.Set;

/** What differs between H2 and PostgreSQL for the raw twin and for seeding. */
enum SqlDialect {

    // the read-model write of dev.allocation.adapters.jdbc.Dialect.H2.writeView()
    H2("""
            MERGE INTO allocations_view v
            USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),
                           CAST(? AS BIGINT))) s (orderid, sku, batchref, version)
            ON v.orderid = s.orderid AND v.sku = s.sku
            WHEN MATCHED AND v.version < s.version THEN
                UPDATE SET batchref = s.batchref, version = s.version
            WHEN NOT MATCHED THEN
                INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""",
            "SELECT X AS n FROM SYSTEM_RANGE(1, %d)", Set.of("40001", "HYT00")),

    // the read-model write of dev.allocation.adapters.jdbc.Dialect.POSTGRESQL.writeView()
    POSTGRESQL("""
            INSERT INTO allocations_view (orderid, sku, batchref, version)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (orderid, sku) DO UPDATE
                SET batchref = excluded.batchref, version = excluded.version
                WHERE allocations_view.version < excluded.version""",
            "SELECT g AS n FROM generate_series(1, %d) g", Set.of("40001", "40P01", "55P03"));

    private final String writeView;
    private final String series;
    private final Set<String> lostRaceStates;

    SqlDialect(String writeView, String series, Set<String> lostRaceStates) {
        this.writeView = writeView;
        this.series = series;
        this.lostRaceStates = lostRaceStates;
    }

    /** The read-model row a unit of work writes before its commit. Parameters (orderid, sku, batchref, version). */
    String writeView() {
        return writeView;
    }

    /** A query of one BIGINT column {@code n} from 1 to {@code count}, for bulk inserts. */
    String series(long count) {
        return String.format(series, count);
    }

    /** True when another transaction got in the way (what the adapter turns into a ConcurrencyConflict). */
    boolean isLostRace(SQLException e) {
        return lostRaceStates.contains(e.getSQLState()) || (this == H2 && e.getErrorCode() == 90131);
    }
}
