package dev.allocation.application.unitofwork;

import dev.allocation.domain.model.OrderLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The lines a store held, kept in memory, counting how often the domain reads them. */
final class FakeStoredLines implements StoredLines {

    private final Map<String, List<OrderLine>> linesByBatch = new LinkedHashMap<>();
    int findCalls;
    int allCalls;

    FakeStoredLines with(String batchRef, OrderLine... lines) {
        linesByBatch.computeIfAbsent(batchRef, ref -> new ArrayList<>()).addAll(List.of(lines));
        return this;
    }

    int storedQuantity(String batchRef) {
        return linesByBatch.getOrDefault(batchRef, List.of()).stream().mapToInt(OrderLine::qty).sum();
    }

    @Override
    public Optional<OrderLine> find(String batchRef, String orderId) {
        findCalls++;
        return linesByBatch.getOrDefault(batchRef, List.of()).stream()
                .filter(line -> line.orderId().equals(orderId))
                .findFirst();
    }

    @Override
    public List<OrderLine> all(String batchRef) {
        allCalls++;
        return List.copyOf(linesByBatch.getOrDefault(batchRef, List.of()));
    }
}
