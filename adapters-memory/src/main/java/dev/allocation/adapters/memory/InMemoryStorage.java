package dev.allocation.adapters.memory;

import dev.allocation.application.AllocationView;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.unitofwork.StoredLines;
import dev.allocation.application.unitofwork.TrackedAllocations;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Storage in memory, with the guarantees of a database: a unit of work sees only committed state, its
 * changes are invisible to others until it commits, and a commit is all or nothing, refused when a
 * product changed since it was loaded. Thread-safe: one lock guards every row. The read model is read
 * off the lines themselves, so it always agrees with the products. The fake of every storage in tests,
 * and a storage for anyone who needs no persistence.
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
     * What each order holds, by order id: the lines, and the read model's rows at once. A line's row and
     * its read-model row say the same (the order, its sku, the batch holding it), so a store in memory
     * keeps them once: the read model always agrees with the products, and a line costs the heap its
     * order id and one entry here, the batch and quantity being an object its batch shares among its
     * lines alike ({@link BatchRow#held}).
     */
    private final Map<String, Holding> heldByOrder = new HashMap<>();

    private final AllocationsReadModel readModel = new AllocationsReadModel() {
        @Override
        public List<AllocationView> allocationsFor(String orderId) {
            Objects.requireNonNull(orderId, "orderId must not be null");
            synchronized (lock) {
                Holding holding = heldByOrder.get(orderId);
                return holding == null ? List.of() : holding.lines().stream().map(Held::view).toList();
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
                TrackedAllocations lines = new TrackedAllocations(batch.ref, batch.allocated, batch);
                linesOf.put(batch.ref, lines);
                restored.add(new Batch(batch.ref, sku, batch.purchased, batch.eta, lines));
            }
            return Optional.of(new Loaded(new Product(sku, restored, row.version), row.version, linesOf));
        }
    }

    Optional<String> skuOfBatch(String ref) {
        synchronized (lock) {
            return Optional.ofNullable(batches.get(ref)).map(batch -> batch.sku);
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
     * batch's allocated quantity) and adds its line, so the rows, old in the heap, gain no reference to a
     * young object but its order id. A line moved between batches of the product in one unit is let go by
     * the one and held by the other, whichever is written first.
     */
    private void save(Product product, Loaded loaded) {
        ProductRow row = products.computeIfAbsent(product.sku(), sku -> new ProductRow());
        row.version = product.versionNumber();
        for (Batch batch : product.batches()) {
            BatchRow stored = batches.get(batch.reference());
            if (stored == null) {   // a product keeps its batches in the order added, as its row does
                stored = new BatchRow(batch.reference(), product.sku(), batch.eta().orElse(null));
                batches.put(stored.ref, stored);
                row.batches.add(stored);
            }
            stored.purchased = batch.purchasedQuantity();
            stored.allocated = batch.allocatedQuantity();
            TrackedAllocations loadedLines = loaded == null ? null : loaded.lines().get(stored.ref);
            List<OrderLine> gone = TrackedAllocations.toDelete(loadedLines);
            if (!gone.isEmpty()) {
                Set<String> orders = new HashSet<>();
                for (OrderLine line : gone) {
                    letGo(line.orderId(), stored);
                    orders.add(line.orderId());
                }
                stored.orders.removeIf(orders::contains);
            }
            for (OrderLine line : TrackedAllocations.toInsert(batch, loadedLines)) {
                hold(line.orderId(), stored.held(line.qty()));
                stored.orders.add(line.orderId());
            }
        }
    }

    /** What order {@code orderId} holds of {@code sku}, or null. */
    private Held heldOf(String orderId, String sku) {
        Holding holding = heldByOrder.get(orderId);
        if (holding != null) {
            for (Held held : holding.lines()) {
                if (held.batch().sku.equals(sku)) {
                    return held;
                }
            }
        }
        return null;
    }

    /** Order {@code orderId} holds {@code held}, in place of what it held of that sku. */
    private void hold(String orderId, Held held) {
        Holding holding = heldByOrder.putIfAbsent(orderId, held);   // a new order: one lookup
        if (holding == null) {
            return;
        }
        List<Held> lines = new ArrayList<>(holding.lines());
        lines.removeIf(line -> line.batch().sku.equals(held.batch().sku));
        if (lines.isEmpty()) {   // it held a line of this sku alone
            heldByOrder.put(orderId, held);
            return;
        }
        lines.add(held);
        lines.sort(Comparator.comparing(line -> line.batch().sku));
        heldByOrder.put(orderId, new HeldLines(List.copyOf(lines)));
    }

    /** Order {@code orderId} no longer holds its line of {@code batch}'s sku, if that batch held it. */
    private void letGo(String orderId, BatchRow batch) {
        Holding holding = heldByOrder.get(orderId);
        if (holding == null) {
            return;
        }
        List<Held> lines = new ArrayList<>(holding.lines());
        if (!lines.removeIf(line -> line.batch() == batch)) {
            return;
        }
        if (lines.isEmpty()) {
            heldByOrder.remove(orderId);
        } else {
            heldByOrder.put(orderId, lines.size() == 1 ? lines.get(0) : new HeldLines(List.copyOf(lines)));
        }
    }

    /** A product as stored, changed in place under the storage's lock: its version, its batches in the order added. */
    private static final class ProductRow {
        long version;
        final List<BatchRow> batches = new ArrayList<>();
    }

    /**
     * A batch as stored, changed in place under the storage's lock, and the lines it holds, as its
     * {@link TrackedAllocations} reads them, under the lock, without looking the batch up again.
     */
    private final class BatchRow implements StoredLines {
        final String ref;
        final String sku;
        final LocalDate eta;
        int purchased;
        int allocated;
        /** The orders whose lines it holds, oldest allocation first; what each holds is in {@link #heldByOrder}. */
        final List<String> orders = new ArrayList<>();
        /** The one object of each quantity its lines hold: lines alike share it. */
        private final Map<Integer, Held> heldByQty = new HashMap<>();

        BatchRow(String ref, String sku, LocalDate eta) {
            this.ref = ref;
            this.sku = sku;
            this.eta = eta;
        }

        Held held(int qty) {
            return heldByQty.computeIfAbsent(qty, q -> new Held(this, q));
        }

        @Override
        public Optional<OrderLine> find(String batchRef, String orderId) {
            synchronized (lock) {
                Held held = heldOf(orderId, sku);
                return held == null || held.batch() != this ? Optional.empty()
                        : Optional.of(new OrderLine(orderId, sku, held.qty()));
            }
        }

        @Override
        public List<OrderLine> all(String batchRef) {
            synchronized (lock) {
                List<OrderLine> lines = new ArrayList<>(orders.size());
                for (String orderId : orders) {
                    lines.add(new OrderLine(orderId, sku, heldOf(orderId, sku).qty()));
                }
                return lines;
            }
        }
    }

    /** What an order holds: its line of one sku, the usual case, or its lines of several. */
    private sealed interface Holding permits Held, HeldLines {
        /** Its lines, one a sku, sorted by sku. */
        List<Held> lines();
    }

    /** A line held, but for its order: its batch and quantity. One object for the lines alike of a batch. */
    private record Held(BatchRow batch, int qty) implements Holding {
        @Override
        public List<Held> lines() {
            return List.of(this);
        }

        AllocationView view() {
            return new AllocationView(batch.sku, batch.ref);
        }
    }

    /** The lines of an order of several skus, one a sku, sorted by sku. */
    private record HeldLines(List<Held> lines) implements Holding {
    }

    /** A product as a unit of work loaded it: its version then, and the lines of each of its batches. */
    record Loaded(Product product, long version, Map<String, TrackedAllocations> lines) {
    }
}
