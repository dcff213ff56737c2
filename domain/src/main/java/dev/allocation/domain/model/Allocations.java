package dev.allocation.domain.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order lines a {@link Batch} holds: the book's {@code _allocations}. A new batch holds them in
 * memory; a store supplies its own, which reads stored lines only when asked, so that an allocation
 * never reads every line a batch holds. The batch decides what to add or remove; this only keeps them.
 */
public interface Allocations {

    /** The line held for {@code orderId}, if any. */
    Optional<OrderLine> lineFor(String orderId);

    /** Holds {@code line}, which holds no line of its order yet. */
    void add(OrderLine line);

    /** Stops holding {@code line}, which it holds. */
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
            byOrder.put(line.orderId(), line);
            quantity += line.qty();
        }

        @Override
        public void remove(OrderLine line) {
            byOrder.remove(line.orderId());
            quantity -= line.qty();
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
