package dev.allocation.adapters.memory;

import dev.allocation.application.AllocationView;
import dev.allocation.application.port.AllocationsReadModel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The read model of {@link InMemoryStorage}: rows by order and sku, each tagged with its version. */
final class InMemoryReadModel implements AllocationsReadModel {

    private final InMemoryStorage storage;
    private final Map<String, Map<String, Row>> rowsByOrder = new ConcurrentHashMap<>();

    InMemoryReadModel(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void refresh(String orderId, String sku) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(sku, "sku must not be null");
        storage.readTruth(orderId, sku, (version, batchRef) -> {
            if (version < 0) {
                return null;
            }
            Map<String, Row> rows = rowsByOrder.computeIfAbsent(orderId, id -> new TreeMap<>());
            synchronized (rows) {
                Row current = rows.get(sku);
                if (current == null || current.version() < version) {
                    rows.put(sku, new Row(batchRef, version));
                }
            }
            return null;
        });
    }

    @Override
    public List<AllocationView> allocationsFor(String orderId) {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Map<String, Row> rows = rowsByOrder.get(orderId);
        if (rows == null) {
            return List.of();
        }
        synchronized (rows) {
            return rows.entrySet().stream()
                    .filter(row -> row.getValue().batchRef() != null)
                    .map(row -> new AllocationView(row.getKey(), row.getValue().batchRef()))
                    .toList();
        }
    }

    /** batchRef null: the line is not allocated (a tombstone, so an older refresh cannot bring it back). */
    private record Row(String batchRef, long version) {
    }
}
