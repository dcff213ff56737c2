package dev.allocation.adapters.memory;

import dev.allocation.application.AllocationView;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.unitofwork.StoredLines;
import dev.allocation.application.unitofwork.TrackedAllocations;
import dev.allocation.application.unitofwork.ViewChange;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Storage in memory, with the guarantees of a database: a unit of work sees only committed state, its
 * changes are invisible to others until it commits, and a commit is all or nothing, refused when a
 * product changed since it was loaded. Thread-safe: one lock guards every row, the read model's too,
 * so the read model always agrees with the products. The fake of every storage in tests, and a storage
 * for anyone who needs no persistence.
 *
 * <p>Like a database it keeps rows, not objects: each unit of work builds its own {@link Product}s from
 * them, so nothing a unit changes leaks before commit, and a batch's lines are read only when needed.
 */
public final class InMemoryStorage implements Storage {

    private final Object lock = new Object();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final Map<String, ProductRow> products = new HashMap<>();
    private final Map<String, BatchRow> batches = new HashMap<>();
    /**
     * The read model's rows of the orders holding a line of one sku, the usual case: the batch holding it,
     * by order id. The row's sku is its batch's, so it is not kept again.
     */
    private final Map<String, String> batchRefByOrder = new HashMap<>();
    /** The read model's rows of the orders holding lines of several skus: the batch of each, skus sorted. */
    private final Map<String, SortedMap<String, String>> batchRefsBySkuByOrder = new HashMap<>();

    private final AllocationsReadModel readModel = new AllocationsReadModel() {
        @Override
        public List<AllocationView> allocationsFor(String orderId) {
            Objects.requireNonNull(orderId, "orderId must not be null");
            synchronized (lock) {
                String batchRef = batchRefByOrder.get(orderId);
                if (batchRef != null) {
                    return List.of(new AllocationView(skuOf(batchRef), batchRef));
                }
                return batchRefsBySkuByOrder.getOrDefault(orderId, Collections.emptySortedMap()).entrySet().stream()
                        .map(row -> new AllocationView(row.getKey(), row.getValue()))
                        .toList();
            }
        }
    };

    @Override
    public UnitOfWork start() {
        return new InMemoryUnitOfWork(this);
    }

    @Override
    public AllocationsReadModel readModel() {
        return readModel;
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public String description() {
        return "in memory";
    }

    Optional<Loaded> load(String sku) {
        synchronized (lock) {
            ProductRow row = products.get(sku);
            if (row == null) {
                return Optional.empty();
            }
            List<Batch> restored = new ArrayList<>(row.batches.size());
            Map<String, TrackedAllocations> linesOf = new HashMap<>();
            for (BatchRow batch : row.batches) {
                TrackedAllocations lines = new TrackedAllocations(batch.ref, batch.allocated, batch.lines);
                linesOf.put(batch.ref, lines);
                restored.add(new Batch(batch.ref, sku, batch.purchased, batch.eta, lines));
            }
            return Optional.of(new Loaded(new Product(sku, restored, row.version), row.version, linesOf));
        }
    }

    Optional<String> skuOfBatch(String ref) {
        synchronized (lock) {
            return Optional.ofNullable(batches.get(ref)).map(batch -> batch.lines.sku);
        }
    }

    /**
     * Saves every changed product of {@code seen} with the read-model rows its events imply, or nothing
     * when one of them is stale. {@code loaded} tells how each was loaded; one missing from it is new.
     */
    void commit(List<Product> seen, Map<Product, Loaded> loaded, List<Event> outgoing) {
        synchronized (lock) {
            for (Product product : seen) {
                refuseIfStale(product, loaded.get(product));
            }
            for (Product product : seen) {
                if (changed(product, loaded.get(product))) {
                    save(product, loaded.get(product));
                }
            }
            outbox.record(outgoing);
        }
        if (!outgoing.isEmpty()) {
            outbox.committed();
        }
    }

    private static boolean changed(Product product, Loaded loaded) {
        return loaded == null || product.versionNumber() != loaded.version();
    }

    private void refuseIfStale(Product product, Loaded loaded) {
        ProductRow current = products.get(product.sku());
        if (loaded == null && current != null) {
            throw new ConcurrencyConflict("Product " + product.sku() + " was created concurrently");
        }
        if (!changed(product, loaded)) {
            return;
        }
        if (loaded != null && (current == null || current.version != loaded.version())) {
            throw new ConcurrencyConflict("Product " + product.sku() + " changed since loaded at version "
                    + loaded.version());
        }
        for (Batch batch : product.batches()) {
            boolean isNew = loaded == null || !loaded.lines().containsKey(batch.reference());
            if (isNew && batches.containsKey(batch.reference())) {
                throw new ConcurrencyConflict("Batch " + batch.reference() + " was created concurrently");
            }
        }
    }

    /**
     * Writes {@code product} over its rows, in place: an Allocate changes numbers only (the version, a
     * batch's allocated quantity) and adds its line and its read-model row, so the rows, old in the heap,
     * gain no reference to a young object but those two.
     */
    private void save(Product product, Loaded loaded) {
        ProductRow row = products.computeIfAbsent(product.sku(), sku -> new ProductRow());
        row.version = product.versionNumber();
        for (Batch batch : product.batches()) {
            BatchRow stored = batches.get(batch.reference());
            if (stored == null) {   // a product keeps its batches in the order added, as its row does
                stored = new BatchRow(batch.reference(), batch.eta().orElse(null), new BatchLines(product.sku()));
                batches.put(stored.ref, stored);
                row.batches.add(stored);
            }
            stored.purchased = batch.purchasedQuantity();
            stored.allocated = batch.allocatedQuantity();
            BatchLines lines = stored.lines;
            TrackedAllocations loadedLines = loaded == null ? null : loaded.lines().get(stored.ref);
            TrackedAllocations.toDelete(loadedLines).forEach(line -> lines.qtyByOrder.remove(line.orderId()));
            TrackedAllocations.toInsert(batch, loadedLines)
                    .forEach(line -> lines.qtyByOrder.put(line.orderId(), line.qty()));
        }
        ViewChange.of(product.events()).forEach(change -> setRow(change.orderId(), change.sku(), change.batchRef()));
    }

    /** batchRef null: the order has no line of this sku. */
    private void setRow(String orderId, String sku, String batchRef) {
        SortedMap<String, String> several = batchRefsBySkuByOrder.get(orderId);
        if (several != null) {
            if (batchRef == null) {
                several.remove(sku);
            } else {
                several.put(sku, batchRef);
            }
            if (several.size() == 1) {
                batchRefByOrder.put(orderId, several.get(several.firstKey()));
                batchRefsBySkuByOrder.remove(orderId);
            }
            return;
        }
        if (batchRef == null) {
            String held = batchRefByOrder.get(orderId);
            if (held != null && skuOf(held).equals(sku)) {
                batchRefByOrder.remove(orderId);
            }
            return;
        }
        String held = batchRefByOrder.putIfAbsent(orderId, batchRef);   // a new order: one lookup
        if (held == null) {
            return;
        }
        if (skuOf(held).equals(sku)) {
            batchRefByOrder.put(orderId, batchRef);
        } else {
            batchRefByOrder.remove(orderId);
            batchRefsBySkuByOrder.put(orderId, new TreeMap<>(Map.of(skuOf(held), held, sku, batchRef)));
        }
    }

    /** The sku of a stored batch; batch references are unique across skus. */
    private String skuOf(String batchRef) {
        return batches.get(batchRef).lines.sku;
    }

    /** A product as stored, changed in place under the storage's lock: its version, its batches in the order added. */
    private static final class ProductRow {
        long version;
        final List<BatchRow> batches = new ArrayList<>();
    }

    /** A batch as stored, changed in place under the storage's lock; its sku is its lines'. */
    private static final class BatchRow {
        final String ref;
        final LocalDate eta;
        final BatchLines lines;
        int purchased;
        int allocated;

        BatchRow(String ref, LocalDate eta, BatchLines lines) {
            this.ref = ref;
            this.eta = eta;
            this.lines = lines;
        }
    }

    /**
     * The lines of one batch, oldest allocation first: what its {@link TrackedAllocations} reads, under the
     * storage's lock, without looking the batch up again. Like a table's row, a line keeps only its order
     * id and quantity: its sku is the batch's. A store in memory holds every line ever allocated, and
     * what each holds is copied by the collector as it ages.
     */
    private final class BatchLines implements StoredLines {

        private final String sku;
        private final Map<String, Integer> qtyByOrder = new LinkedHashMap<>();

        BatchLines(String sku) {
            this.sku = sku;
        }

        @Override
        public Optional<OrderLine> find(String batchRef, String orderId) {
            synchronized (lock) {
                Integer qty = qtyByOrder.get(orderId);
                return qty == null ? Optional.empty() : Optional.of(new OrderLine(orderId, sku, qty));
            }
        }

        @Override
        public List<OrderLine> all(String batchRef) {
            synchronized (lock) {
                List<OrderLine> lines = new ArrayList<>(qtyByOrder.size());
                qtyByOrder.forEach((orderId, qty) -> lines.add(new OrderLine(orderId, sku, qty)));
                return lines;
            }
        }
    }

    /** A product as a unit of work loaded it: its version then, and the lines of each of its batches. */
    record Loaded(Product product, long version, Map<String, TrackedAllocations> lines) {
    }
}
