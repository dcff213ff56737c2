package dev.allocation.adapters.memory;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.StoredLines;
import dev.allocation.application.port.TrackedAllocations;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.port.UnitOfWorkFactory;
import dev.allocation.application.port.ViewChange;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage in memory, with the guarantees of a database: a unit of work sees only committed state,
 * its changes are invisible to others until it commits, a commit is all or nothing and is refused when
 * a product changed since it was loaded. Thread-safe. Used by tests as the fake of every storage, and
 * by anyone who needs allocation without persistence.
 *
 * <p>Like a database it keeps rows, not objects: each unit of work builds its own {@link Product}s from
 * them, so nothing a unit changes leaks before commit, and a batch's lines are read only when needed.
 */
public final class InMemoryStorage implements UnitOfWorkFactory {

    private final Object lock = new Object();
    private final Map<String, ProductRow> products = new HashMap<>();
    private final Map<String, BatchRow> batches = new HashMap<>();
    private final Map<String, LinkedHashMap<String, OrderLine>> linesByBatch = new HashMap<>();
    private final InMemoryReadModel readModel = new InMemoryReadModel(this);

    /** Empty storage. */
    public InMemoryStorage() {
    }

    @Override
    public UnitOfWork start() {
        return new InMemoryUnitOfWork(this);
    }

    /** The read model, kept in this storage. */
    public AllocationsReadModel readModel() {
        return readModel;
    }

    Optional<Loaded> load(String sku) {
        synchronized (lock) {
            ProductRow row = products.get(sku);
            if (row == null) {
                return Optional.empty();
            }
            List<Batch> restored = new ArrayList<>(row.batchRefs().size());
            Map<String, TrackedAllocations> loadedBatches = new HashMap<>();
            for (String ref : row.batchRefs()) {
                BatchRow batch = batches.get(ref);
                TrackedAllocations lines = new TrackedAllocations(ref, batch.allocated(), storedLines);
                loadedBatches.put(ref, lines);
                restored.add(new Batch(ref, sku, batch.purchased(), batch.eta(), lines));
            }
            return Optional.of(new Loaded(new Product(sku, restored, row.version()), row.version(), loadedBatches));
        }
    }

    Optional<String> skuOfBatch(String ref) {
        synchronized (lock) {
            BatchRow row = batches.get(ref);
            return row == null ? Optional.empty() : Optional.of(row.sku());
        }
    }

    /**
     * Saves every changed product at once, with the read-model rows their events imply, or nothing when
     * one of them is stale.
     */
    void commit(List<Tracked> tracked) {
        synchronized (lock) {
            for (Tracked product : tracked) {
                refuseIfStale(product);
            }
            for (Tracked product : tracked) {
                if (product.changed()) {
                    save(product);
                }
            }
        }
    }

    private void refuseIfStale(Tracked tracked) {
        Product product = tracked.product();
        ProductRow current = products.get(product.sku());
        if (tracked.loadedVersion() == null) {
            if (current != null) {
                throw new ConcurrencyConflict("Product " + product.sku() + " was created concurrently");
            }
        } else if (tracked.changed() && (current == null || current.version() != tracked.loadedVersion())) {
            throw new ConcurrencyConflict("Product " + product.sku() + " changed since loaded at version "
                    + tracked.loadedVersion());
        }
        if (tracked.changed()) {
            for (Batch batch : product.batches()) {
                BatchRow existing = batches.get(batch.reference());
                if (!tracked.loadedBatches().containsKey(batch.reference()) && existing != null) {
                    throw new ConcurrencyConflict("Batch " + batch.reference() + " was created concurrently");
                }
            }
        }
    }

    private void save(Tracked tracked) {
        Product product = tracked.product();
        List<String> refs = new ArrayList<>(product.batches().size());
        for (Batch batch : product.batches()) {
            refs.add(batch.reference());
            batches.put(batch.reference(), new BatchRow(product.sku(), batch.purchasedQuantity(),
                    batch.eta().orElse(null), batch.allocatedQuantity()));
            LinkedHashMap<String, OrderLine> lines =
                    linesByBatch.computeIfAbsent(batch.reference(), ref -> new LinkedHashMap<>());
            TrackedAllocations loaded = tracked.loadedBatches().get(batch.reference());
            for (OrderLine line : TrackedAllocations.toDelete(loaded)) {
                lines.remove(line.orderId());
            }
            for (OrderLine line : TrackedAllocations.toInsert(batch, loaded)) {
                lines.put(line.orderId(), line);
            }
        }
        products.put(product.sku(), new ProductRow(product.versionNumber(), List.copyOf(refs)));
        readModel.write(ViewChange.of(product.events()), product.versionNumber());
    }

    /** What the read model copies: the product's version and the batch holding the order's line. */
    <T> T readTruth(String orderId, String sku, TruthReader<T> reader) {
        synchronized (lock) {
            ProductRow row = products.get(sku);
            if (row == null) {
                return reader.read(-1, null);
            }
            for (String ref : row.batchRefs()) {
                Map<String, OrderLine> lines = linesByBatch.get(ref);
                if (lines != null && lines.containsKey(orderId)) {
                    return reader.read(row.version(), ref);
                }
            }
            return reader.read(row.version(), null);
        }
    }

    @FunctionalInterface
    interface TruthReader<T> {
        T read(long version, String batchRef);
    }

    private final StoredLines storedLines = new StoredLines() {
        @Override
        public Optional<OrderLine> find(String batchRef, String orderId) {
            synchronized (lock) {
                Map<String, OrderLine> lines = linesByBatch.get(batchRef);
                return lines == null ? Optional.empty() : Optional.ofNullable(lines.get(orderId));
            }
        }

        @Override
        public List<OrderLine> all(String batchRef) {
            synchronized (lock) {
                Map<String, OrderLine> lines = linesByBatch.get(batchRef);
                return lines == null ? List.of() : List.copyOf(lines.values());
            }
        }
    };

    private record ProductRow(long version, List<String> batchRefs) {
    }

    private record BatchRow(String sku, int purchased, LocalDate eta, int allocated) {
    }

    /** A product as a unit of work loaded it, with the lines of each of its batches. */
    record Loaded(Product product, long version, Map<String, TrackedAllocations> batches) {
    }

    /** A product a unit of work has seen: loaded (with its version then) or added (version null). */
    record Tracked(Product product, Long loadedVersion, Map<String, TrackedAllocations> loadedBatches) {
        boolean changed() {
            return loadedVersion == null || product.versionNumber() != loadedVersion;
        }
    }
}
