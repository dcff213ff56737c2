package dev.allocation.adapters.memory;

import dev.allocation.application.AllocationView;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ViewChange;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read model of {@link InMemoryStorage}: rows by order and sku, each tagged with its version,
 * written by the storage as it commits a product, and repaired by {@link #refresh}.
 */
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
            put(orderId, sku, batchRef, version, true);
            return null;
        });
    }

    /** Writes the rows a commit leaves, as the storage commits it (under the storage's lock). */
    void write(List<ViewChange> changes, long version) {
        for (ViewChange change : changes) {
            put(change.orderId(), change.sku(), change.batchRef(), version, false);
        }
    }

    /** Replaces a row only with a newer version (or, for a repair, the same one). */
    private void put(String orderId, String sku, String batchRef, long version, boolean repair) {
        Map<String, Row> rows = rowsByOrder.computeIfAbsent(orderId, id -> new TreeMap<>());
        synchronized (rows) {
            Row current = rows.get(sku);
            if (current == null || current.version() < version || (repair && current.version() == version)) {
                rows.put(sku, new Row(batchRef, version));
            }
        }
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
