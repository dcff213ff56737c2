package dev.allocation.domain.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lines held in memory, by order, oldest first. */
final class InMemoryAllocations implements Allocations {

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
