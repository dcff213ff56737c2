package dev.allocation.domain.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The book's {@code _allocations}: the set of order lines a {@link Batch} holds, at most one per order.
 * A new batch holds them in memory; a store supplies its own, which reads stored lines only when asked,
 * and keeps their quantity, so that an allocation never reads every line a batch holds.
 */
public interface Allocations {

    /** The line held for {@code orderId}, if any. */
    Optional<OrderLine> lineFor(String orderId);

    /** Holds {@code line}; does nothing when it holds a line of its order already. */
    void add(OrderLine line);

    /** Stops holding {@code line}; does nothing when it does not hold it. */
    void remove(OrderLine line);

    /** The sum of the lines' quantities, known without reading every line. */
    int quantity();

    /** Every line, oldest allocation first: reads them all, so only for a change that needs them. */
    List<OrderLine> oldestFirst();

    /** Lines held in memory, by order, oldest first. */
    final class InMemory implements Allocations {

        private final Map<String, OrderLine> byOrder = new LinkedHashMap<>();
        private int quantity;

        @Override
        public Optional<OrderLine> lineFor(String orderId) {
            return Optional.ofNullable(byOrder.get(orderId));
        }

        @Override
        public void add(OrderLine line) {
            if (byOrder.putIfAbsent(line.orderId(), line) == null) {
                quantity += line.qty();
            }
        }

        @Override
        public void remove(OrderLine line) {
            if (byOrder.remove(line.orderId(), line)) {
                quantity -= line.qty();
            }
        }

        @Override
        public int quantity() {
            return quantity;
        }

        @Override
        public List<OrderLine> oldestFirst() {
            return List.copyOf(byOrder.values());
        }
    }
}
