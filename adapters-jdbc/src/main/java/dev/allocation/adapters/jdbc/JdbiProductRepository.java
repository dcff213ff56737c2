package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.unitofwork.AbstractRepository;
import dev.allocation.application.unitofwork.StoredLines;
import dev.allocation.application.unitofwork.TrackedAllocations;
import dev.allocation.application.unitofwork.ViewChange;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The products of one unit of work. Loading one costs a constant number of queries whatever it holds:
 * its row and all its batches in one query (two with pessimistic locking), and its order lines only
 * when the domain asks for them ({@link JdbiStoredLines}), except the line of the order it is loaded to
 * allocate, which comes in the same query. Saving gathers only what changed into the unit's {@link Writes}.
 */
final class JdbiProductRepository extends AbstractRepository {

    private static final String PRODUCT_WITH_BATCHES = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = ? ORDER BY b.id""";

    /** The same, each row also saying which batch holds the line of one order, and how many (else nulls). */
    private static final String PRODUCT_WITH_BATCHES_AND_LINE = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta,
                   held.batchref, held.qty
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            LEFT JOIN allocations held ON held.sku = p.sku AND held.orderid = ?
            WHERE p.sku = ? ORDER BY b.id""";

    private final JdbiUnitOfWork unit;
    private final Locking locking;
    private final Map<Product, Tracked> loaded = new IdentityHashMap<>();

    JdbiProductRepository(JdbiUnitOfWork unit, Locking locking, Runnable requireOpen) {
        super(requireOpen);
        this.unit = unit;
        this.locking = locking;
    }

    @Override
    protected Optional<Product> load(String sku) {
        return unit.read(handle -> load(handle, sku, null));
    }

    @Override
    protected Optional<Product> load(String sku, String orderId) {
        return unit.read(handle -> load(handle, sku, orderId));
    }

    /**
     * The reference's sku from {@code batch_references} first, then the product by its sku: every
     * statement on a sku's rows carries the sku, so that a database distributed by sku runs it on one node.
     */
    @Override
    protected Optional<Product> loadByBatchRef(String batchRef) {
        return unit.read(handle -> Sql.list(handle, "SELECT sku FROM batch_references WHERE reference = ?",
                        rs -> rs.getString(1), batchRef).stream().findFirst()
                .flatMap(sku -> load(handle, sku, null)));
    }

    /** The product of {@code sku}; with the line of {@code orderId} (null: none asked) read along. */
    private Optional<Product> load(Handle handle, String sku, String orderId) {
        if (locking == Locking.PESSIMISTIC) {
            // lock the product row first, then read it in a statement of its own, which (READ COMMITTED)
            // sees everything the previous holder of the lock committed
            return Sql.list(handle, "SELECT sku FROM products WHERE sku = ? FOR UPDATE", rs -> rs.getString(1), sku)
                    .stream().findFirst().flatMap(locked -> read(handle, locked, orderId));
        }
        return read(handle, sku, orderId);
    }

    private Optional<Product> read(Handle handle, String sku, String orderId) {
        List<Row> rows = orderId == null
                ? Sql.list(handle, PRODUCT_WITH_BATCHES, rs -> row(rs, null), sku)
                : Sql.list(handle, PRODUCT_WITH_BATCHES_AND_LINE, rs -> row(rs,
                        rs.getString(7) == null ? null : new Held(rs.getString(7), rs.getInt(8))), orderId, sku);
        return rows.isEmpty() ? Optional.empty() : Optional.of(track(rows, orderId));
    }

    private static Row row(ResultSet rs, Held held) throws SQLException {
        return new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                rs.getObject(6, LocalDate.class), held);
    }

    /** The product of these rows, with its version and batches as loaded, for the save to compare. */
    private Product track(List<Row> rows, String orderId) {
        String sku = rows.get(0).sku();
        long version = rows.get(0).version();
        JdbiStoredLines stored = new JdbiStoredLines(unit, sku);
        if (orderId != null) {
            stored.byOrder.put(orderId, Optional.ofNullable(rows.get(0).held()));
        }
        List<Batch> batches = new ArrayList<>();
        Map<String, Loaded> loadedBatches = new HashMap<>();
        for (Row row : rows) {
            if (row.reference() != null) {   // null: a product without batches
                TrackedAllocations lines = new TrackedAllocations(row.reference(), row.allocated(), stored);
                batches.add(new Batch(row.reference(), sku, row.purchased(), row.eta(), lines));
                loadedBatches.put(row.reference(), new Loaded(row.purchased(), row.allocated(), lines));
            }
        }
        Product product = new Product(sku, batches, version);
        loaded.put(product, new Tracked(product, version, loadedBatches));
        return product;
    }

    /** True when a product of {@code seen} was added or changed since loaded: the unit must write. */
    boolean hasChanges(List<Product> seen) {
        return seen.stream().map(this::tracked).anyMatch(Tracked::changed);
    }

    /**
     * Gathers what changed into {@code writes}, product by product. The product row comes first: its
     * version check (or insert) takes the row lock that serializes writers of one sku, so a stale unit
     * fails before it touches anything else, and two writers never lock batch rows in opposite orders.
     * Then, in the order the constraints need: new batches, removed lines, new lines, changed batch rows;
     * last, the read-model rows that the product's events imply, tagged with its new version.
     */
    void save(Writes writes, List<Product> seen) {
        seen.stream().map(this::tracked).filter(Tracked::changed).forEach(tracked -> save(writes, tracked));
    }

    /** How {@code product} was loaded; a product the unit added was loaded from nothing. */
    private Tracked tracked(Product product) {
        return loaded.getOrDefault(product, new Tracked(product, null, Map.of()));
    }

    private void save(Writes writes, Tracked tracked) {
        Product product = tracked.product();
        String sku = product.sku();
        long version = product.versionNumber();
        if (tracked.loadedVersion() == null) {
            writes.insertChecked("INSERT INTO products (sku, version) VALUES (?, ?)",
                    "Product " + sku + " was created concurrently", sku, version);
        } else {
            writes.check("Product " + sku + " changed since it was loaded at version " + tracked.loadedVersion(),
                    version, sku, tracked.loadedVersion());
        }

        List<Object[]> newReferences = new ArrayList<>();
        List<Object[]> newBatches = new ArrayList<>();
        List<Object[]> changedBatches = new ArrayList<>();
        List<Object[]> removedLines = new ArrayList<>();
        List<Object[]> addedLines = new ArrayList<>();
        for (Batch batch : product.batches()) {
            String ref = batch.reference();
            Loaded before = tracked.loadedBatches().get(ref);
            if (before == null) {
                newReferences.add(new Object[] {ref, sku});
                newBatches.add(new Object[] {
                        ref, sku, batch.purchasedQuantity(), batch.allocatedQuantity(), batch.eta().orElse(null)});
            } else if (before.purchased() != batch.purchasedQuantity()
                    || before.allocated() != batch.allocatedQuantity()) {
                changedBatches.add(new Object[] {batch.purchasedQuantity(), batch.allocatedQuantity(), sku, ref});
            }
            TrackedAllocations lines = before == null ? null : before.lines();
            TrackedAllocations.toDelete(lines).forEach(line ->
                    removedLines.add(new Object[] {line.orderId(), line.sku(), ref}));
            TrackedAllocations.toInsert(batch, lines).forEach(line ->
                    addedLines.add(new Object[] {line.orderId(), line.sku(), line.qty(), ref}));
        }
        List<Object[]> viewRows = ViewChange.of(product.events()).stream()
                .map(row -> new Object[] {row.orderId(), row.sku(), row.batchRef(), version})
                .toList();

        // a reference is unique across skus in a table of its own: batches is unique by (reference, sku)
        writes.insertEach("INSERT INTO batch_references (reference, sku) VALUES (?, ?)", newReferences,
                "A batch reference of product " + sku + " was created concurrently");
        writes.insertEach("""
                INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)
                VALUES (?, ?, ?, ?, ?)""", newBatches, "A batch of product " + sku + " was created concurrently");
        writes.changeEach("DELETE FROM allocations WHERE orderid = ? AND sku = ? AND batchref = ?", removedLines,
                "Order lines of product " + sku + " changed since they were read");
        writes.addEach("INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)", addedLines);
        writes.addEach("UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE sku = ? AND reference = ?",
                changedBatches);
        writes.addEach(unit.dialect().writeView, viewRows);   // behind the product row, as every writer of sku
    }

    /** A row of a product's load; {@code held}: the asked order's line, null when not held or not asked for. */
    private record Row(String sku, long version, String reference, int purchased, int allocated, LocalDate eta,
                       Held held) {
    }

    /** Which batch holds an order's line of a sku, and how many. */
    private record Held(String batchRef, int qty) {
    }

    /** A batch as loaded: its quantities then, and its lines, which know what changed since. */
    private record Loaded(int purchased, int allocated, TrackedAllocations lines) {
    }

    /** A product this unit has seen: loaded (its version and batches as read) or added (version null). */
    private record Tracked(Product product, Long loadedVersion, Map<String, Loaded> loadedBatches) {
        boolean changed() {
            return loadedVersion == null || product.versionNumber() != loadedVersion;
        }
    }

    /**
     * {@link StoredLines} from the database: the order lines of one loaded product, read only when the
     * domain asks, each answer kept for the rest of the unit of work. Allocating asks every batch of the
     * product for the same order: one query, through the unique index on (orderid, sku), answers them all.
     * All of a batch's lines are read only when the batch shrinks.
     */
    private static final class JdbiStoredLines implements StoredLines {

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
            return byOrder.computeIfAbsent(orderId, order -> unit.read(handle -> Sql.list(handle,
                            "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?",
                            rs -> new Held(rs.getString(1), rs.getInt(2)), order, sku).stream().findFirst()))
                    .filter(held -> held.batchRef().equals(batchRef))
                    .map(held -> new OrderLine(orderId, sku, held.qty()));
        }

        @Override
        public List<OrderLine> all(String batchRef) {
            return byBatch.computeIfAbsent(batchRef, ref -> {
                List<OrderLine> lines = List.copyOf(unit.read(handle -> Sql.list(handle,
                        "SELECT orderid, qty FROM allocations WHERE sku = ? AND batchref = ? ORDER BY id",
                        rs -> new OrderLine(rs.getString(1), sku, rs.getInt(2)), sku, ref)));
                // they answer find() too: a shrink then asks nothing more per line
                lines.forEach(line -> byOrder.putIfAbsent(line.orderId(), Optional.of(new Held(ref, line.qty()))));
                return lines;
            });
        }
    }
}
