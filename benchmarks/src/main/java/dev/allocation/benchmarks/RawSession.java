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
 * run by hand with plain JDBC on one connection, each prepared once and reused, one transaction per
 * command, then the read-model upsert in a transaction of its own (autocommit), as the service does.
 * Used by one thread.
 */
final class RawSession implements AutoCloseable {

    /** What one raw Allocate did. */
    enum Outcome { ALLOCATED, ALREADY_ALLOCATED, OUT_OF_STOCK, UNKNOWN_SKU, CONFLICT }

    private final Connection connection;
    private final SqlDialect dialect;
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
    private final PreparedStatement refreshView;

    RawSession(Database database) throws SQLException {
        this.connection = database.connect();
        this.dialect = database.dialect();
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
        refreshView = connection.prepareStatement(dialect.refreshView());
    }

    /**
     * One Allocate as the service runs it: the allocation transaction, then (when it allocated) the
     * read-model upsert in its own transaction. A lost race is {@link Outcome#CONFLICT}, rolled back,
     * for the caller to retry or count.
     */
    Outcome allocate(String orderId, String sku, int qty, boolean forUpdate) throws SQLException {
        Outcome outcome = allocateTransaction(orderId, sku, qty, forUpdate);
        if (outcome == Outcome.ALLOCATED) {
            refreshView(orderId, sku);
        }
        return outcome;
    }

    /**
     * The allocation transaction alone: load the product and its batches (optimistic: one joined query;
     * {@code forUpdate}: lock the product row, then read its batches), look the order up, and when a
     * batch can take the line, bump the version (checked), insert the line, update the batch, commit.
     */
    Outcome allocateTransaction(String orderId, String sku, int qty, boolean forUpdate) throws SQLException {
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
        BatchRow chosen = null;
        for (BatchRow batch : product.batches()) {   // warehouse first, then the earliest eta; first on ties
            if (batch.purchased() - batch.allocated() >= qty
                    && (chosen == null || eta(batch).isBefore(eta(chosen)))) {
                chosen = batch;
            }
        }
        if (chosen == null) {
            return Outcome.OUT_OF_STOCK;
        }
        if (!bumpVersion(sku, product.version())) {
            return Outcome.CONFLICT;
        }
        insertLine.setString(1, orderId);
        insertLine.setString(2, sku);
        insertLine.setInt(3, qty);
        insertLine.setString(4, chosen.reference());
        insertLine.executeUpdate();
        updateBatch.setInt(1, chosen.purchased());
        updateBatch.setInt(2, chosen.allocated() + qty);
        updateBatch.setString(3, chosen.reference());
        updateBatch.executeUpdate();
        return Outcome.ALLOCATED;
    }

    /** The read model's upsert for (orderId, sku), in a transaction of its own. */
    void refreshView(String orderId, String sku) throws SQLException {
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

    /**
     * ChangeBatchQuantity as the service runs it, with the events it leads to: the change transaction
     * (load by batch ref, read the batch's lines, bump the version, delete the newest lines until the
     * batch fits, update the batch), then per deallocated line the read-model upsert and a
     * reallocation transaction, then per reallocated line the read-model upsert.
     *
     * @return the lines deallocated
     */
    int changeBatchQuantity(String ref, int qty) throws SQLException {
        List<String[]> deallocated;
        String sku;
        while (true) {
            try {
                Loaded product = load(productWithBatchesByRef, ref);
                sku = product.sku();
                deallocated = shrink(product, ref, qty);
                if (deallocated != null) {
                    connection.commit();
                    break;
                }
                connection.rollback();
            } catch (SQLException e) {
                connection.rollback();
                if (!dialect.isLostRace(e)) {
                    throw e;
                }
            }
        }
        List<String[]> reallocated = new ArrayList<>();
        for (String[] line : deallocated) {
            refreshView(line[0], sku);
            Outcome outcome;
            do {
                outcome = allocateTransaction(line[0], sku, Integer.parseInt(line[1]), false);
            } while (outcome == Outcome.CONFLICT);
            if (outcome == Outcome.ALLOCATED) {
                reallocated.add(line);
            }
        }
        for (String[] line : reallocated) {
            refreshView(line[0], sku);
        }
        return deallocated.size();
    }

    /** The lines taken out of batch {@code ref} (orderid, qty), or null when the version check failed. */
    private List<String[]> shrink(Loaded product, String ref, int qty) throws SQLException {
        BatchRow batch = product.batches().stream().filter(b -> b.reference().equals(ref)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No batch " + ref));
        List<String[]> deallocated = new ArrayList<>();
        if (batch.purchased() == qty) {
            return deallocated;
        }
        List<String[]> lines = new ArrayList<>();
        linesOfBatch.setString(1, ref);
        try (ResultSet rs = linesOfBatch.executeQuery()) {
            while (rs.next()) {
                lines.add(new String[] {rs.getString(1), Integer.toString(rs.getInt(2))});
            }
        }
        int allocated = batch.allocated();
        while (qty - allocated < 0) {
            String[] newest = lines.remove(lines.size() - 1);
            deallocated.add(newest);
            allocated -= Integer.parseInt(newest[1]);
        }
        if (!bumpVersion(product.sku(), product.version())) {
            return null;
        }
        for (String[] line : deallocated) {
            deleteLine.setString(1, line[0]);
            deleteLine.setString(2, product.sku());
            deleteLine.setString(3, ref);
            if (deallocated.size() == 1) {
                deleteLine.executeUpdate();
            } else {
                deleteLine.addBatch();
            }
        }
        if (deallocated.size() > 1) {
            deleteLine.executeBatch();
        }
        updateBatch.setInt(1, qty);
        updateBatch.setInt(2, allocated);
        updateBatch.setString(3, ref);
        updateBatch.executeUpdate();
        return deallocated;
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
                updateBatch, refreshView)) {
            if (!statement.unwrap(PGStatement.class).isUseServerPrepare()) {
                return false;
            }
        }
        return true;
    }

    private boolean bumpVersion(String sku, long version) throws SQLException {
        updateVersion.setLong(1, version + 1);
        updateVersion.setString(2, sku);
        updateVersion.setLong(3, version);
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
}
