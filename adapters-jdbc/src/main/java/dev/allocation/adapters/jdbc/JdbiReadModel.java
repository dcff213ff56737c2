package dev.allocation.adapters.jdbc;

import dev.allocation.application.AllocationView;
import dev.allocation.application.LogText;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ConcurrencyConflict;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model in the allocations_view table, whose rows units of work write as they commit
 * ({@link Dialect#writeView}). {@link #refresh}, the repair, is one statement: it copies what the
 * allocations table holds now for (orderid, sku), tagged with the product's version, and never replaces
 * a view row with an older version. A line no longer allocated leaves a row with no batch (a tombstone),
 * so a late, older write can never bring it back. Refreshing is idempotent.
 */
final class JdbiReadModel implements AllocationsReadModel {

    private static final Logger log = LoggerFactory.getLogger(JdbiReadModel.class);
    private static final int ATTEMPTS = 5;

    private final JdbiStorage storage;

    JdbiReadModel(JdbiStorage storage) {
        this.storage = storage;
    }

    @Override
    public void refresh(String orderId, String sku) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(sku, "sku must not be null");
        Dialect dialect = storage.dialect;
        for (int attempt = 1; ; attempt++) {
            try {
                storage.writes.run(() -> storage.read(handle ->
                        Sql.update(handle, dialect.refreshView, orderId, orderId, sku)));
                return;
            } catch (RuntimeException e) {
                // two writers of a new row may both try to insert it; the loser simply goes again
                boolean raced = e instanceof ConcurrencyConflict || dialect.isUniqueViolation(e);
                if (!raced || attempt >= ATTEMPTS) {
                    throw e;
                }
                log.debug("Refreshing the view of ({}, {}) raced another refresh (attempt {})",
                        LogText.escape(orderId), LogText.escape(sku), attempt);
            }
        }
    }

    @Override
    public List<AllocationView> allocationsFor(String orderId) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        return storage.read(handle -> Sql.list(handle,
                        "SELECT sku, batchref FROM allocations_view WHERE orderid = ? AND batchref IS NOT NULL",
                        rs -> new AllocationView(rs.getString(1), rs.getString(2)), orderId))
                .stream()
                .sorted(Comparator.comparing(AllocationView::sku))   // alike in every store, whatever the collation
                .toList();
    }
}
