package dev.allocation.adapters.jdbc;

import dev.allocation.application.AllocationView;
import dev.allocation.application.port.AllocationsReadModel;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The read model in the allocations_view table, whose rows units of work write as they commit
 * ({@link Dialect#writeView}); this class only reads them.
 */
final class JdbiReadModel implements AllocationsReadModel {

    private final Database database;

    JdbiReadModel(Database database) {
        this.database = database;
    }

    @Override
    public List<AllocationView> allocationsFor(String orderId) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        return database.read(handle -> Sql.list(handle,
                        "SELECT sku, batchref FROM allocations_view WHERE orderid = ? AND batchref IS NOT NULL",
                        rs -> new AllocationView(rs.getString(1), rs.getString(2)), orderId))
                .stream()
                .sorted(Comparator.comparing(AllocationView::sku))   // alike in every store, whatever the collation
                .toList();
    }
}
