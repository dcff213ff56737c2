package dev.allocation.benchmarks;

import java.sql.*;
import java.time.LocalDate;
import java.util.*;

/**
 * The raw-SQL twin of adapters-jdbc for an Allocate: the statements {@code JdbiProductRepository},
 * {@code JdbiStoredLines} and {@code Dialect.writeView()} issue, copied here with JDBI's named
 * parameters made positional, run by hand on one connection, each prepared once, in one transaction
 * per Allocate as the adapter commits: load the product and its batches (optimistic: one joined query;
 * {@code forUpdate}: lock the product row, then read its batches), look the order up, bump the version
 * (checked), insert the line, update the batch, write the read-model row, commit. One thread uses it.
 */
final class RawSession implements AutoCloseable {

    // the statements of dev.allocation.adapters.jdbc.JdbiProductRepository
    private static final String PRODUCT_WITH_BATCHES = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p LEFT JOIN batches b ON b.sku = p.sku WHERE p.sku = ? ORDER BY b.id""";
    private static final String LOCK_PRODUCT = "SELECT sku, version FROM products WHERE sku = ? FOR UPDATE";
    private static final String BATCHES =
            "SELECT reference, purchased_quantity, allocated_quantity, eta FROM batches WHERE sku = ? ORDER BY id";
    private static final String UPDATE_VERSION = "UPDATE products SET version = ? WHERE sku = ? AND version = ?";
    private static final String INSERT_LINE = "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)";
    private static final String UPDATE_BATCH =
            "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE reference = ?";
    // the read-model write of dev.allocation.adapters.jdbc.Dialect.H2.writeView() and POSTGRESQL.writeView()
    private static final String H2_WRITE_VIEW = """
            MERGE INTO allocations_view v
            USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),
                           CAST(? AS BIGINT))) s (orderid, sku, batchref, version)
            ON v.orderid = s.orderid AND v.sku = s.sku
            WHEN MATCHED AND v.version < s.version THEN
                UPDATE SET batchref = s.batchref, version = s.version
            WHEN NOT MATCHED THEN
                INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""";
    private static final String POSTGRESQL_WRITE_VIEW = """
            INSERT INTO allocations_view (orderid, sku, batchref, version)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (orderid, sku) DO UPDATE
                SET batchref = excluded.batchref, version = excluded.version
                WHERE allocations_view.version < excluded.version""";
    // the statement of dev.allocation.adapters.jdbc.JdbiStoredLines
    private static final String LINE_OF_ORDER = "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?";

    private final Connection connection;
    private final PreparedStatement productWithBatches;
    private final PreparedStatement lockProduct;
    private final PreparedStatement batches;
    private final PreparedStatement lineOfOrder;
    private final PreparedStatement updateVersion;
    private final PreparedStatement insertLine;
    private final PreparedStatement updateBatch;
    private final PreparedStatement writeView;

    /** A session on its own new connection, which it closes. */
    RawSession(Connection connection, boolean postgresql) throws SQLException {
        this.connection = connection;
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
        productWithBatches = connection.prepareStatement(PRODUCT_WITH_BATCHES);
        lockProduct = connection.prepareStatement(LOCK_PRODUCT);
        batches = connection.prepareStatement(BATCHES);
        lineOfOrder = connection.prepareStatement(LINE_OF_ORDER);
        updateVersion = connection.prepareStatement(UPDATE_VERSION);
        insertLine = connection.prepareStatement(INSERT_LINE);
        updateBatch = connection.prepareStatement(UPDATE_BATCH);
        writeView = connection.prepareStatement(postgresql ? POSTGRESQL_WRITE_VIEW : H2_WRITE_VIEW);
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
        long version;
        if (forUpdate) {
            lockProduct.setString(1, sku);
            try (ResultSet rs = lockProduct.executeQuery()) {
                version = rs.next() ? rs.getLong(2) : fail("Unknown sku " + sku);
            }
        } else {
            version = -1;
        }
        PreparedStatement query = forUpdate ? batches : productWithBatches;
        query.setString(1, sku);
        List<Batch> loaded = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            int column = forUpdate ? 0 : 2;   // the joined query starts with sku and version
            while (rs.next()) {
                version = forUpdate ? version : rs.getLong(2);
                if (rs.getString(column + 1) != null) {
                    loaded.add(new Batch(rs.getString(column + 1), rs.getInt(column + 2), rs.getInt(column + 3),
                            rs.getObject(column + 4, LocalDate.class)));
                }
            }
        }
        lineOfOrder.setString(1, orderId);
        lineOfOrder.setString(2, sku);
        try (ResultSet rs = lineOfOrder.executeQuery()) {
            if (rs.next()) {
                fail("Order " + orderId + " is already allocated");
            }
        }
        Batch chosen = null;   // warehouse first (no eta), then the earliest eta, the first on ties
        for (Batch batch : loaded) {
            if (batch.purchased() - batch.allocated() >= 1 && (chosen == null || eta(batch).isBefore(eta(chosen)))) {
                chosen = batch;
            }
        }
        if (chosen == null) {
            fail("Out of stock: " + sku);
        }
        updateVersion.setLong(1, version + 1);
        updateVersion.setString(2, sku);
        updateVersion.setLong(3, version);
        if (updateVersion.executeUpdate() != 1) {
            return false;
        }
        set(insertLine, orderId, sku, 1, chosen.reference()).executeUpdate();
        set(updateBatch, chosen.purchased(), chosen.allocated() + 1, chosen.reference()).executeUpdate();
        set(writeView, orderId, sku, chosen.reference(), version + 1).executeUpdate();
        return true;
    }

    /** True when another transaction got in the way (what the adapter turns into a ConcurrencyConflict). */
    static boolean isLostRace(SQLException e) {
        return Set.of("40001", "40P01", "55P03", "HYT00").contains(e.getSQLState()) || e.getErrorCode() == 90131;
    }

    private static PreparedStatement set(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static long fail(String why) {
        throw new IllegalStateException(why);
    }

    private static LocalDate eta(Batch batch) {
        return batch.eta() == null ? LocalDate.MIN : batch.eta();
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
