package dev.allocation.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * The raw-SQL reference: the statements adapters-jdbc issues for one command ({@link ReferenceSql}),
 * run by hand with plain JDBC on one connection, each prepared once and reused. Used by one thread.
 *
 * <p>It commits in one of two {@link Shape}s: as the adapter does now (a command's change and the
 * read-model rows it implies in one transaction, one commit), or as the service did before (the
 * command's transaction, then the read-model refresh in a second transaction with a commit of its
 * own), the twin against which the single transaction's gain is measured.
 */
final class RawSession implements AutoCloseable {

    /** What one raw Allocate did. */
    enum Outcome { ALLOCATED, ALREADY_ALLOCATED, OUT_OF_STOCK, UNKNOWN_SKU, CONFLICT }

    /** How an Allocate commits. */
    enum Shape {
        /** The adapter's: the line and its read-model row ({@code writeView()}) in one transaction. */
        ONE_TRANSACTION,
        /**
         * The service's before one command became one transaction: the allocation transaction, then the
         * read model's refresh ({@code refreshView()}) in a second transaction (autocommit).
         */
        TWO_TRANSACTIONS
    }

    private final Connection connection;
    private final SqlDialect dialect;
    private final Shape shape;
    private final PreparedStatement productWithBatches;
    private final PreparedStatement productWithBatchesByRef;
    private final PreparedStatement lockProduct;
    private final PreparedStatement batchesOfSku;
    private final PreparedStatement lineOfOrder;
    private final PreparedStatement linesOfBatch;
    private final PreparedStatement updateVersion;
    private final PreparedStatement insertLine;
    private final PreparedStatement deleteLine;
    private final PreparedStatement updateBatch;
    private final PreparedStatement writeView;
    private final PreparedStatement refreshView;

    /** A session on its own new connection, which it closes. */
    RawSession(Connection connection, SqlDialect dialect, Shape shape) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.shape = shape;
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
        productWithBatches = connection.prepareStatement(ReferenceSql.PRODUCT_WITH_BATCHES);
        productWithBatchesByRef = connection.prepareStatement(ReferenceSql.PRODUCT_WITH_BATCHES_BY_BATCH_REF);
        lockProduct = connection.prepareStatement(ReferenceSql.LOCK_PRODUCT);
        batchesOfSku = connection.prepareStatement(ReferenceSql.BATCHES);
        lineOfOrder = connection.prepareStatement(ReferenceSql.LINE_OF_ORDER);
        linesOfBatch = connection.prepareStatement(ReferenceSql.LINES_OF_BATCH);
        updateVersion = connection.prepareStatement(ReferenceSql.UPDATE_PRODUCT_VERSION);
        insertLine = connection.prepareStatement(ReferenceSql.INSERT_LINE);
        deleteLine = connection.prepareStatement(ReferenceSql.DELETE_LINE);
        updateBatch = connection.prepareStatement(ReferenceSql.UPDATE_BATCH);
        writeView = connection.prepareStatement(dialect.writeView());
        refreshView = connection.prepareStatement(dialect.refreshView());
    }

    /**
     * One Allocate as the service runs it. {@link Shape#ONE_TRANSACTION}: the allocation transaction
     * writes the line's read-model row before it commits, and a repeat repairs the row in a transaction
     * of its own. {@link Shape#TWO_TRANSACTIONS}: the allocation transaction, then (when it allocated)
     * the refresh. A lost race is {@link Outcome#CONFLICT}, rolled back, for the caller to retry or count.
     */
    Outcome allocate(String orderId, String sku, int qty, boolean forUpdate) throws SQLException {
        Outcome outcome = allocateTransaction(orderId, sku, qty, forUpdate);
        if (outcome == (shape == Shape.TWO_TRANSACTIONS ? Outcome.ALLOCATED : Outcome.ALREADY_ALLOCATED)) {
            refreshView(orderId, sku);
        }
        return outcome;
    }

    /**
     * The allocation transaction: load the product and its batches (optimistic: one joined query;
     * {@code forUpdate}: lock the product row, then read its batches), look the order up, and when a
     * batch can take the line, bump the version (checked), insert the line, update the batch, (one
     * transaction) write the read-model row, commit.
     */
    private Outcome allocateTransaction(String orderId, String sku, int qty, boolean forUpdate) throws SQLException {
        try {
            Loaded product = forUpdate ? lockAndLoad(sku) : load(productWithBatches, sku);
            if (product == null) {
                connection.rollback();
                return Outcome.UNKNOWN_SKU;
            }
            Outcome outcome = allocateIn(product, orderId, sku, qty);
            if (outcome == Outcome.CONFLICT) {
                connection.rollback();
            } else {
                connection.commit();
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
        if (product.batches().isEmpty()) {
            return Outcome.OUT_OF_STOCK;
        }
        lineOfOrder.setString(1, orderId);
        lineOfOrder.setString(2, sku);
        try (ResultSet rs = lineOfOrder.executeQuery()) {
            if (rs.next()) {
                return Outcome.ALREADY_ALLOCATED;
            }
        }
        int chosen = choose(product.batches(), null, null, qty);
        if (chosen < 0) {
            return Outcome.OUT_OF_STOCK;
        }
        BatchRow batch = product.batches().get(chosen);
        long version = product.version() + 1;
        if (!bumpVersion(sku, product.version(), version)) {
            return Outcome.CONFLICT;
        }
        insertLine.setString(1, orderId);
        insertLine.setString(2, sku);
        insertLine.setInt(3, qty);
        insertLine.setString(4, batch.reference());
        insertLine.executeUpdate();
        updateBatch.setInt(1, batch.purchased());
        updateBatch.setInt(2, batch.allocated() + qty);
        updateBatch.setString(3, batch.reference());
        updateBatch.executeUpdate();
        if (shape == Shape.ONE_TRANSACTION) {
            bindView(orderId, sku, batch.reference(), version);
            writeView.executeUpdate();
        }
        return Outcome.ALLOCATED;
    }

    /**
     * The batch that takes a line of {@code qty} (warehouse first, then the earliest eta; the first on
     * ties), given what each batch has now (null: as loaded); -1 when none can.
     */
    private static int choose(List<BatchRow> batches, int[] purchased, int[] allocated, int qty) {
        int chosen = -1;
        for (int i = 0; i < batches.size(); i++) {
            BatchRow batch = batches.get(i);
            int free = purchased == null ? batch.purchased() - batch.allocated() : purchased[i] - allocated[i];
            if (free >= qty
                    && (chosen < 0 || eta(batch).isBefore(eta(batches.get(chosen))))) {
                chosen = i;
            }
        }
        return chosen;
    }

    /** The read model's repair for (orderId, sku), in a transaction of its own (autocommit). */
    private void refreshView(String orderId, String sku) throws SQLException {
        connection.setAutoCommit(true);
        try {
            refreshView.setString(1, orderId);
            refreshView.setString(2, orderId);
            refreshView.setString(3, sku);
            refreshView.executeUpdate();
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private void bindView(String orderId, String sku, String batchRef, long version) throws SQLException {
        writeView.setString(1, orderId);
        writeView.setString(2, sku);
        writeView.setString(3, batchRef);
        writeView.setLong(4, version);
    }

    /**
     * ChangeBatchQuantity as the adapter runs it now, in one transaction: load by batch ref, read the
     * batch's lines, take the newest out until the batch fits, allocate each again (same rule as an
     * Allocate), bump the version once, then delete the lines, insert them where they went, update the
     * changed batches and write their read-model rows, each a JDBC batch, and commit.
     *
     * @return the lines deallocated
     */
    int changeBatchQuantity(String ref, int qty) throws SQLException {
        while (true) {
            try {
                Integer deallocated = shrinkAndReallocate(load(productWithBatchesByRef, ref), ref, qty);
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

    /** The lines taken out of batch {@code ref}, or null when the version check failed. */
    private Integer shrinkAndReallocate(Loaded product, String ref, int qty) throws SQLException {
        List<BatchRow> batches = product.batches();
        int shrunk = -1;
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).reference().equals(ref)) {
                shrunk = i;
            }
        }
        if (shrunk < 0) {
            throw new IllegalArgumentException("No batch " + ref);
        }
        if (batches.get(shrunk).purchased() == qty) {
            return 0;
        }
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
        while (purchased[shrunk] - allocated[shrunk] < 0) {
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
        if (!bumpVersion(product.sku(), product.version(), version)) {
            return null;
        }
        String sku = product.sku();
        batch(deleteLine, deallocated, line -> {
            deleteLine.setString(1, line.orderId());
            deleteLine.setString(2, sku);
            deleteLine.setString(3, ref);
        });
        batch(insertLine, reallocated, line -> {
            insertLine.setString(1, line.orderId());
            insertLine.setString(2, sku);
            insertLine.setInt(3, line.qty());
            insertLine.setString(4, line.batchRef());
        });
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            if (purchased[i] != batches.get(i).purchased() || allocated[i] != batches.get(i).allocated()) {
                changed.add(i);
            }
        }
        batch(updateBatch, changed, i -> {
            updateBatch.setInt(1, purchased[i]);
            updateBatch.setInt(2, allocated[i]);
            updateBatch.setString(3, batches.get(i).reference());
        });
        batch(writeView, views, line -> bindView(line.orderId(), sku, line.batchRef(), version));
        return deallocated.size();
    }

    /** Sets a statement's parameters for one item. */
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

    /**
     * True when every statement of this session that ran at least five times is prepared on the
     * server (PostgreSQL's driver switches after {@code prepareThreshold}, 5 by default); always true
     * on H2, which has no such distinction.
     */
    boolean serverPrepared() throws SQLException {
        if (dialect != SqlDialect.POSTGRESQL) {
            return true;
        }
        for (PreparedStatement statement : List.of(productWithBatches, lineOfOrder, updateVersion, insertLine,
                updateBatch, shape == Shape.ONE_TRANSACTION ? writeView : refreshView)) {
            if (!statement.unwrap(PGStatement.class).isUseServerPrepare()) {
                return false;
            }
        }
        return true;
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
                String reference = rs.getString(3);
                if (reference != null) {
                    batches.add(new BatchRow(reference, rs.getInt(4), rs.getInt(5), rs.getObject(6, LocalDate.class)));
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

    /** A round trip that the adapter makes and the reference does not: how long it takes here. */
    void showIsolation() throws SQLException {
        connection.getTransactionIsolation();
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
