package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.StoredLines;
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
final class JdbiStoredLines implements StoredLines {

    private static final String LINE_OF_ORDER =
            "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?";
    private static final String LINES_OF_BATCH =
            "SELECT orderid, qty FROM allocations WHERE batchref = ? ORDER BY id";

    private final JdbiUnitOfWork unit;
    private final String sku;
    private final Map<String, Optional<Held>> byOrder = new HashMap<>();
    private final Map<String, List<OrderLine>> byBatch = new HashMap<>();

    JdbiStoredLines(JdbiUnitOfWork unit, String sku) {
        this.unit = unit;
        this.sku = sku;
    }

    @Override
    public Optional<OrderLine> find(String batchRef, String orderId) {
        Optional<Held> held = byOrder.get(orderId);
        if (held == null) {
            held = unit.read(handle -> Sql.first(handle, LINE_OF_ORDER, statement -> {
                statement.setString(1, orderId);
                statement.setString(2, sku);
            }, rs -> new Held(rs.getString(1), rs.getInt(2))));
            byOrder.put(orderId, held);
        }
        return held.filter(line -> line.batchRef().equals(batchRef))
                .map(line -> new OrderLine(orderId, sku, line.qty()));
    }

    @Override
    public List<OrderLine> all(String batchRef) {
        List<OrderLine> lines = byBatch.get(batchRef);
        if (lines == null) {
            lines = List.copyOf(unit.read(handle -> Sql.list(handle, LINES_OF_BATCH,
                    statement -> statement.setString(1, batchRef),
                    rs -> new OrderLine(rs.getString(1), sku, rs.getInt(2)))));
            byBatch.put(batchRef, lines);
            // what the batch's lines say answers find() too: a shrink then asks nothing more per line
            for (OrderLine line : lines) {
                byOrder.putIfAbsent(line.orderId(), Optional.of(new Held(batchRef, line.qty())));
            }
        }
        return lines;
    }

    /** Which batch holds an order's line of this sku, and how many. */
    private record Held(String batchRef, int qty) {
    }
}
