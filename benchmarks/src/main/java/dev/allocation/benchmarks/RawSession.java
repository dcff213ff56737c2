package dev.allocation.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-SQL twin of adapters-jdbc: the statements {@code JdbiProductRepository},
 * {@code JdbiAllocatedLines} and {@code Dialect.writeView()} issue for a command, copied here with
 * JDBI's named parameters made positional, run by hand on one connection, each prepared once, and
 * committed as the adapter commits: one transaction per command. Used by one thread.
 */
final class RawSession implements AutoCloseable {

    // the statements of dev.allocation.adapters.jdbc.JdbiProductRepository
    private static final String PRODUCT_WITH_BATCHES = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p LEFT JOIN batches b ON b.sku = p.sku WHERE p.sku = ? ORDER BY b.id""";
    private static final String PRODUCT_WITH_BATCHES_BY_BATCH_REF = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = (SELECT sku FROM batches WHERE reference = ?) ORDER BY b.id""";
    private static final String LOCK_PRODUCT = "SELECT sku, version FROM products WHERE sku = ? FOR UPDATE";
    private static final String BATCHES =
            "SELECT reference, purchased_quantity, allocated_quantity, eta FROM batches WHERE sku = ? ORDER BY id";
    private static final String UPDATE_VERSION = "UPDATE products SET version = ? WHERE sku = ? AND version = ?";
    private static final String INSERT_LINE = "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)";
    private static final String DELETE_LINE = "DELETE FROM allocations WHERE orderid = ? AND sku = ? AND batchref = ?";
    private static final String UPDATE_BATCH =
            "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE reference = ?";
    // the statements of dev.allocation.adapters.jdbc.JdbiAllocatedLines
    private static final String LINE_OF_ORDER = "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?";
    private static final String LINES_OF_BATCH = "SELECT orderid, qty FROM allocations WHERE batchref = ? ORDER BY id";

    /** What one raw Allocate did. */
    enum Outcome { ALLOCATED, ALREADY_ALLOCATED, OUT_OF_STOCK, UNKNOWN_SKU, CONFLICT }

    private final Connection connection;
    private final SqlDialect dialect;
    private final PreparedStatement productWithBatches;
    private final PreparedStatement productByRef;
    private final PreparedStatement lockProduct;
    private final PreparedStatement batchesOfSku;
    private final PreparedStatement lineOfOrder;
    private final PreparedStatement linesOfBatch;
    private final PreparedStatement updateVersion;
    private final PreparedStatement insertLine;
    private final PreparedStatement deleteLine;
    private final PreparedStatement updateBatch;
    private final PreparedStatement writeView;

    /** A session on its own new connection, which it closes. */
    RawSession(Connection connection, SqlDialect dialect) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
        productWithBatches = connection.prepareStatement(PRODUCT_WITH_BATCHES);
        productByRef = connection.prepareStatement(PRODUCT_WITH_BATCHES_BY_BATCH_REF);
        lockProduct = connection.prepareStatement(LOCK_PRODUCT);
        batchesOfSku = connection.prepareStatement(BATCHES);
        lineOfOrder = connection.prepareStatement(LINE_OF_ORDER);
        linesOfBatch = connection.prepareStatement(LINES_OF_BATCH);
        updateVersion = connection.prepareStatement(UPDATE_VERSION);
        insertLine = connection.prepareStatement(INSERT_LINE);
        deleteLine = connection.prepareStatement(DELETE_LINE);
        updateBatch = connection.prepareStatement(UPDATE_BATCH);
        writeView = connection.prepareStatement(dialect.writeView());
    }

    /** An Allocate, retried at once as long as it loses races; returns how many times it lost. */
    int allocateRetrying(String orderId, String sku, boolean forUpdate) throws SQLException {
        for (int lost = 0; ; lost++) {
            Outcome outcome = allocate(orderId, sku, 1, forUpdate);
            if (outcome == Outcome.ALLOCATED) {
                return lost;
            }
            if (outcome != Outcome.CONFLICT) {
                throw new IllegalStateException("Raw allocate of " + orderId + " to " + sku + ": " + outcome);
            }
        }
    }

    /**
     * One Allocate in one transaction: load the product and its batches (optimistic: one joined query;
     * {@code forUpdate}: lock the product row, then read its batches), look the order up, and when a
     * batch can take the line, bump the version (checked), insert the line, update the batch, write the
     * read-model row, commit. A lost race is {@link Outcome#CONFLICT}, rolled back.
     */
    Outcome allocate(String orderId, String sku, int qty, boolean forUpdate) throws SQLException {
        try {
            Loaded product = forUpdate ? lockAndLoad(sku) : load(productWithBatches, sku);
            Outcome outcome = product == null ? Outcome.UNKNOWN_SKU : allocateIn(product, orderId, sku, qty);
            if (outcome == Outcome.ALLOCATED || outcome == Outcome.ALREADY_ALLOCATED) {
                connection.commit();
            } else {
                connection.rollback();
            }
            return outcome;
        } catch (SQLException e) {
            connection.rollback();
            if (dialect.isLostRace(e)) {
                return Outcome.CONFLICT;
            }
            throw e;
        }
    }

    private Outcome allocateIn(Loaded product, String orderId, String sku, int qty) throws SQLException {
        lineOfOrder.setString(1, orderId);
        lineOfOrder.setString(2, sku);
        try (ResultSet rs = lineOfOrder.executeQuery()) {
            if (rs.next()) {
                return Outcome.ALREADY_ALLOCATED;
            }
        }
        List<BatchRow> batches = product.batches();
        int[] purchased = batches.stream().mapToInt(BatchRow::purchased).toArray();
        int[] allocated = batches.stream().mapToInt(BatchRow::allocated).toArray();
        int chosen = choose(batches, purchased, allocated, qty);
        if (chosen < 0) {
            return Outcome.OUT_OF_STOCK;
        }
        BatchRow batch = batches.get(chosen);
        long version = product.version() + 1;
        if (!bumpVersion(sku, product.version(), version)) {
            return Outcome.CONFLICT;
        }
        bindLine(orderId, sku, qty, batch.reference());
        insertLine.executeUpdate();
        bindBatch(batch.purchased(), batch.allocated() + qty, batch.reference());
        updateBatch.executeUpdate();
        bindView(orderId, sku, batch.reference(), version);
        writeView.executeUpdate();
        return Outcome.ALLOCATED;
    }

    /** The batch that takes {@code qty} (warehouse first, then the earliest eta, first on ties), or -1. */
    private static int choose(List<BatchRow> batches, int[] purchased, int[] allocated, int qty) {
        int chosen = -1;
        for (int i = 0; i < batches.size(); i++) {
            if (purchased[i] - allocated[i] >= qty && (chosen < 0 || eta(batches.get(i)).isBefore(eta(batches.get(chosen))))) {
                chosen = i;
            }
        }
        return chosen;
    }

    /**
     * ChangeBatchQuantity in one transaction, as the adapter runs it: load by batch ref, read the batch's
     * lines, take the newest out until the batch fits, allocate each again, bump the version once, then
     * delete the lines, insert them where they went, update the changed batches and write the read-model
     * rows, each a JDBC batch, and commit. Returns the lines deallocated.
     */
    int changeBatchQuantity(String ref, int qty) throws SQLException {
        while (true) {
            try {
                Integer deallocated = shrinkAndReallocate(load(productByRef, ref), ref, qty);
                if (deallocated != null) {
                    connection.commit();
                    return deallocated;
                }
                connection.rollback();
            } catch (SQLException e) {
                connection.rollback();
                if (!dialect.isLostRace(e)) {
                    throw e;
                }
            }
        }
    }

    private Integer shrinkAndReallocate(Loaded product, String ref, int qty) throws SQLException {
        List<BatchRow> batches = product.batches();
        int shrunk = batches.stream().map(BatchRow::reference).toList().indexOf(ref);
        List<Line> lines = new ArrayList<>();
        linesOfBatch.setString(1, ref);
        try (ResultSet rs = linesOfBatch.executeQuery()) {
            while (rs.next()) {
                lines.add(new Line(rs.getString(1), rs.getInt(2), ref));
            }
        }
        int[] allocated = batches.stream().mapToInt(BatchRow::allocated).toArray();
        int[] purchased = batches.stream().mapToInt(BatchRow::purchased).toArray();
        purchased[shrunk] = qty;
        List<Line> deallocated = new ArrayList<>();
        while (purchased[shrunk] < allocated[shrunk]) {
            Line newest = lines.remove(lines.size() - 1);
            deallocated.add(newest);
            allocated[shrunk] -= newest.qty();
        }
        List<Line> reallocated = new ArrayList<>();
        List<Line> views = new ArrayList<>();
        for (Line line : deallocated) {
            int chosen = choose(batches, purchased, allocated, line.qty());
            Line moved = new Line(line.orderId(), line.qty(), chosen < 0 ? null : batches.get(chosen).reference());
            if (chosen >= 0) {
                allocated[chosen] += line.qty();
                reallocated.add(moved);
            }
            views.add(moved);
        }
        long version = product.version() + 1 + reallocated.size();
        String sku = product.sku();
        if (!bumpVersion(sku, product.version(), version)) {
            return null;
        }
        batch(deleteLine, deallocated, line -> {
            deleteLine.setString(1, line.orderId());
            deleteLine.setString(2, sku);
            deleteLine.setString(3, ref);
        });
        batch(insertLine, reallocated, line -> bindLine(line.orderId(), sku, line.qty(), line.batchRef()));
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            if (purchased[i] != batches.get(i).purchased() || allocated[i] != batches.get(i).allocated()) {
                changed.add(i);
            }
        }
        batch(updateBatch, changed, i -> bindBatch(purchased[i], allocated[i], batches.get(i).reference()));
        batch(writeView, views, line -> bindView(line.orderId(), sku, line.batchRef(), version));
        return deallocated.size();
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(T item) throws SQLException;
    }

    /** As the adapter's {@code Sql.batch}: a plain statement for one item, one JDBC batch for several. */
    private static <T> void batch(PreparedStatement statement, List<T> items, Binder<T> binder) throws SQLException {
        if (items.size() == 1) {
            binder.bind(items.get(0));
            statement.executeUpdate();
        } else if (items.size() > 1) {
            for (T item : items) {
                binder.bind(item);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void bindLine(String orderId, String sku, int qty, String batchRef) throws SQLException {
        insertLine.setString(1, orderId);
        insertLine.setString(2, sku);
        insertLine.setInt(3, qty);
        insertLine.setString(4, batchRef);
    }

    private void bindBatch(int purchased, int allocated, String ref) throws SQLException {
        updateBatch.setInt(1, purchased);
        updateBatch.setInt(2, allocated);
        updateBatch.setString(3, ref);
    }

    private void bindView(String orderId, String sku, String batchRef, long version) throws SQLException {
        writeView.setString(1, orderId);
        writeView.setString(2, sku);
        writeView.setString(3, batchRef);
        writeView.setLong(4, version);
    }

    private boolean bumpVersion(String sku, long loaded, long version) throws SQLException {
        updateVersion.setLong(1, version);
        updateVersion.setString(2, sku);
        updateVersion.setLong(3, loaded);
        return updateVersion.executeUpdate() == 1;
    }

    private Loaded load(PreparedStatement query, String key) throws SQLException {
        query.setString(1, key);
        String sku = null;
        long version = 0;
        List<BatchRow> batches = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                sku = rs.getString(1);
                version = rs.getLong(2);
                if (rs.getString(3) != null) {
                    batches.add(new BatchRow(rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getObject(6, LocalDate.class)));
                }
            }
        }
        return sku == null ? null : new Loaded(sku, version, batches);
    }

    private Loaded lockAndLoad(String sku) throws SQLException {
        lockProduct.setString(1, sku);
        long version;
        try (ResultSet rs = lockProduct.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            version = rs.getLong(2);
        }
        batchesOfSku.setString(1, sku);
        List<BatchRow> batches = new ArrayList<>();
        try (ResultSet rs = batchesOfSku.executeQuery()) {
            while (rs.next()) {
                batches.add(new BatchRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getObject(4, LocalDate.class)));
            }
        }
        return new Loaded(sku, version, batches);
    }

    private static LocalDate eta(BatchRow batch) {
        return batch.eta() == null ? LocalDate.MIN : batch.eta();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }

    private record Loaded(String sku, long version, List<BatchRow> batches) {
    }

    private record BatchRow(String reference, int purchased, int allocated, LocalDate eta) {
    }

    /** An order line of the product, and the batch that holds it (null: none). */
    private record Line(String orderId, int qty, String batchRef) {
    }
}
