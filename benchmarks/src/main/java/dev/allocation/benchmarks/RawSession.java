package dev.allocation.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.*;
import java.time.LocalDate;
import java.util.*;

/**
 * The raw-SQL twin of adapters-jdbc for an Allocate: the statements {@code JdbiProductRepository},
 * {@code Dialect} and {@code JdbiOutbox.record} issue, copied here, run by hand on one connection, each
 * prepared once, in one transaction per Allocate as the adapter commits: load the product, its batches
 * and the order's line in one joined query ({@code forUpdate}: lock the product row first); then bump the
 * version (checked), insert the line, update the batch, write the read-model row and record the event, on
 * PostgreSQL sent together as {@code Writes} sends them (one multi-statement prepared statement, its last
 * part the {@code COMMIT}), on H2 one by one, then commit. One thread uses it.
 */
final class RawSession implements AutoCloseable {

    // the statements of dev.allocation.adapters.jdbc.JdbiProductRepository
    private static final String PRODUCT_WITH_BATCHES_AND_LINE = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta,
                   held.batchref, held.qty
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            LEFT JOIN allocations held ON held.sku = p.sku AND held.orderid = ?
            WHERE p.sku = ? ORDER BY b.id""";
    private static final String LOCK_PRODUCT = "SELECT sku FROM products WHERE sku = ? FOR UPDATE";
    // the version check of dev.allocation.adapters.jdbc.Dialect (its versionCheck, for each database)
    private static final String UPDATE_VERSION = "UPDATE products SET version = ? WHERE sku = ? AND version = ?";
    private static final String CHECK_VERSION = """
            WITH checked AS (UPDATE products SET version = ? WHERE sku = ? AND version = ? RETURNING sku)
            SELECT 1 / COUNT(*) FROM checked""";
    private static final String INSERT_LINE = "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)";
    private static final String UPDATE_BATCH =
            "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE sku = ? AND reference = ?";
    // the read-model write of dev.allocation.adapters.jdbc.Dialect (its writeView, for each database)
    private static final String VIEW_ROW =
            "SELECT CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS BIGINT)";
    private static final String H2_WRITE_VIEW = """
            MERGE INTO allocations_view v
            USING (%s) s (orderid, sku, batchref, version)
            ON v.orderid = s.orderid AND v.sku = s.sku
            WHEN MATCHED AND v.version < s.version THEN
                UPDATE SET batchref = s.batchref, version = s.version
            WHEN NOT MATCHED THEN
                INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""".formatted(VIEW_ROW);
    private static final String POSTGRESQL_WRITE_VIEW = """
            INSERT INTO allocations_view (orderid, sku, batchref, version)
            %s
            ON CONFLICT (orderid, sku) DO UPDATE
                SET batchref = excluded.batchref, version = excluded.version
                WHERE allocations_view.version < excluded.version""".formatted(VIEW_ROW);
    // the outbox's record of the Allocated event (JdbiOutbox.record, EventText)
    private static final String RECORD_EVENT = "INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, "
            + "state, recorded_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'P', ?, 0, ?)";
    // warehouse first (no eta), then the earliest eta, the first on ties
    private static final Comparator<Batch> PREFERRED = Comparator.comparing(Batch::eta,
            Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Connection connection;
    private final boolean postgresql;
    private final String writeView;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    /** A session on its own new connection, which it closes. */
    RawSession(Connection connection, boolean postgresql) throws SQLException {
        this.connection = connection;
        this.postgresql = postgresql;
        this.writeView = postgresql ? POSTGRESQL_WRITE_VIEW : H2_WRITE_VIEW;
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
    }

    /** Allocates one unit of {@code sku} to a new order, retried at once as long as it loses races; returns how often it lost. */
    int allocateRetrying(String orderId, String sku, boolean forUpdate) throws SQLException {
        for (int lost = 0; ; lost++) {
            try {
                if (allocate(orderId, sku, forUpdate)) {
                    connection.commit();
                    return lost;
                }
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (!(e instanceof SQLException sql && isLostRace(sql))) {
                    throw e;
                }
            }
        }
    }

    /** False when the version check failed (another transaction changed the product). */
    private boolean allocate(String orderId, String sku, boolean forUpdate) throws SQLException {
        if (forUpdate) {
            statement(LOCK_PRODUCT, sku).executeQuery().close();   // the lock is held until the transaction ends
        }
        long version = -1;
        List<Batch> loaded = new ArrayList<>();
        try (ResultSet rs = statement(PRODUCT_WITH_BATCHES_AND_LINE, orderId, sku).executeQuery()) {
            while (rs.next()) {
                version = rs.getLong(2);
                if (rs.getString(3) != null) {
                    loaded.add(new Batch(rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getObject(6, LocalDate.class)));
                }
                if (rs.getString(7) != null) {
                    throw new IllegalStateException("Order " + orderId + " is already allocated");
                }
            }
        }
        Batch chosen = loaded.stream().filter(batch -> batch.purchased() - batch.allocated() >= 1).min(PREFERRED)
                .orElseThrow(() -> new IllegalStateException("Out of stock: " + sku));
        long now = System.currentTimeMillis();
        Object[][] writes = {
                {version + 1, sku, version},
                {orderId, sku, 1, chosen.reference()},
                {chosen.purchased(), chosen.allocated() + 1, sku, chosen.reference()},
                {orderId, sku, chosen.reference(), version + 1},
                {UUID.randomUUID().toString(), sku, version + 1, "Allocated", "orderId=" + encode(orderId) + "&sku="
                        + encode(sku) + "&qty=1&batchRef=" + encode(chosen.reference()), now, now}};
        if (postgresql) {
            // a stale version divides by zero: the lost race (22012) ends the round trip
            try {
                statement(String.join(";\n", CHECK_VERSION, INSERT_LINE, UPDATE_BATCH, writeView, RECORD_EVENT, "COMMIT"),
                        Arrays.stream(writes).flatMap(Arrays::stream).toArray()).execute();
            } catch (SQLException e) {
                if ("22012".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
            return true;
        }
        if (statement(UPDATE_VERSION, writes[0]).executeUpdate() != 1) {
            return false;
        }
        statement(INSERT_LINE, writes[1]).executeUpdate();
        statement(UPDATE_BATCH, writes[2]).executeUpdate();
        statement(writeView, writes[3]).executeUpdate();
        statement(RECORD_EVENT, writes[4]).executeUpdate();
        return true;
    }

    /** True when another transaction got in the way (what the adapter turns into a ConcurrencyConflict). */
    static boolean isLostRace(SQLException e) {
        return Set.of("40001", "40P01", "55P03", "HYT00").contains(e.getSQLState()) || e.getErrorCode() == 90131;
    }

    /** {@code sql}, prepared on the first use, with these parameters. */
    private PreparedStatement statement(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            prepared.put(sql, statement = connection.prepareStatement(sql));
        }
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws SQLException {
        try (connection) {
            connection.rollback();
        }
    }

    private record Batch(String reference, int purchased, int allocated, LocalDate eta) {
    }
}
