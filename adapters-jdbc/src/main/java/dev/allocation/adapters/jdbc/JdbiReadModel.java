package dev.allocation.adapters.jdbc;

import dev.allocation.application.AllocationView;
import dev.allocation.application.LogText;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ConcurrencyConflict;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model in the allocations_view table, whose rows units of work write as they commit
 * ({@link Dialect#writeView()}). {@link #refresh}, the repair, is one statement: it copies what the
 * allocations table holds now for (orderid, sku), tagged with the product's version, and never replaces
 * a view row with an older version. A line no longer allocated leaves a row with no batch (a tombstone),
 * so a late, older write can never bring it back. Refreshing is idempotent.
 */
final class JdbiReadModel implements AllocationsReadModel {

    private static final Logger log = LoggerFactory.getLogger(JdbiReadModel.class);
    private static final int ATTEMPTS = 5;
    private static final String ALLOCATIONS_OF_ORDER =
            "SELECT sku, batchref FROM allocations_view WHERE orderid = ? AND batchref IS NOT NULL";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ReadCommitted readCommitted;
    private final SerialWrites writes;

    JdbiReadModel(Jdbi jdbi, Dialect dialect, ReadCommitted readCommitted, SerialWrites writes) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
        this.readCommitted = readCommitted;
    }

    @Override
    public void refresh(String orderId, String sku) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(sku, "sku must not be null");
        for (int attempt = 1; ; attempt++) {
            try {
                writes.run(() -> jdbi.withHandle(handle -> {
                    readCommitted.apply(handle.getConnection());
                    return Sql.update(handle, dialect.refreshView(), statement -> {
                        statement.setString(1, orderId);
                        statement.setString(2, orderId);
                        statement.setString(3, sku);
                    });
                }));
                return;
            } catch (RuntimeException e) {
                // two writers of a new row may both try to insert it; the loser simply goes again
                RuntimeException failure = Failures.translate(e, dialect);
                boolean raced = Failures.isUniqueViolation(e, dialect) || failure instanceof ConcurrencyConflict;
                if (!raced || attempt >= ATTEMPTS) {
                    throw failure;
                }
                log.debug("Refreshing the view of ({}, {}) raced another refresh (attempt {})", LogText.escape(orderId),
                        LogText.escape(sku), attempt);
            }
        }
    }

    @Override
    public List<AllocationView> allocationsFor(String orderId) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        try {
            return jdbi.withHandle(handle -> {
                readCommitted.apply(handle.getConnection());
                return Sql.list(handle, ALLOCATIONS_OF_ORDER, statement -> statement.setString(1, orderId),
                                rs -> new AllocationView(rs.getString(1), rs.getString(2)))
                        .stream()
                        // sorted here, not by the database's collation, so every store orders skus alike
                        .sorted(Comparator.comparing(AllocationView::sku))
                        .toList();
            });
        } catch (RuntimeException e) {
            throw Failures.translate(e, dialect);
        }
    }
}
