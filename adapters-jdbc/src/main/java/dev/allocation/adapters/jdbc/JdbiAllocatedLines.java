package dev.allocation.adapters.jdbc;

import dev.allocation.domain.model.AllocatedLines;
import dev.allocation.domain.model.OrderLine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored order lines of one loaded product, read only when the domain asks, and each answer kept
 * for the rest of the unit of work. Allocating asks every batch of the product for the same order:
 * one query answers them all, through the unique index on (orderid, sku). Reading all of a batch's
 * lines happens only when the batch shrinks.
 */
final class JdbiAllocatedLines implements AllocatedLines {

    private static final String LINE_OF_ORDER =
            "SELECT batchref, qty FROM allocations WHERE orderid = :orderid AND sku = :sku";
    private static final String LINES_OF_BATCH =
            "SELECT orderid, qty FROM allocations WHERE batchref = :batchref ORDER BY id";

    private final JdbiUnitOfWork unit;
    private final String sku;
    private final Map<String, Optional<Held>> byOrder = new HashMap<>();
    private final Map<String, List<OrderLine>> byBatch = new HashMap<>();

    JdbiAllocatedLines(JdbiUnitOfWork unit, String sku) {
        this.unit = unit;
        this.sku = sku;
    }

    @Override
    public Optional<OrderLine> find(String batchRef, String orderId) {
        Optional<Held> held = byOrder.get(orderId);
        if (held == null) {
            held = unit.read(handle -> handle.createQuery(LINE_OF_ORDER)
                    .bind("orderid", orderId)
                    .bind("sku", sku)
                    .map((rs, ctx) -> new Held(rs.getString("batchref"), rs.getInt("qty")))
                    .findOne());
            byOrder.put(orderId, held);
        }
        return held.filter(line -> line.batchRef().equals(batchRef))
                .map(line -> new OrderLine(orderId, sku, line.qty()));
    }

    @Override
    public List<OrderLine> all(String batchRef) {
        return byBatch.computeIfAbsent(batchRef, ref -> unit.read(handle -> handle.createQuery(LINES_OF_BATCH)
                .bind("batchref", ref)
                .map((rs, ctx) -> new OrderLine(rs.getString("orderid"), sku, rs.getInt("qty")))
                .collect(java.util.stream.Collectors.toUnmodifiableList())));
    }

    /** Which batch holds an order's line of this sku, and how many. */
    private record Held(String batchRef, int qty) {
    }
}
