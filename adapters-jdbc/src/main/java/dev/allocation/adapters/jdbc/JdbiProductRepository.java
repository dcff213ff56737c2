package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.AbstractRepository;
import dev.allocation.application.port.TrackedAllocations;
import dev.allocation.application.port.ViewChange;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.sql.Types;
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
 * when the domain asks for them ({@link JdbiStoredLines}). Saving writes only what changed.
 */
final class JdbiProductRepository extends AbstractRepository {

    private static final String PRODUCT_WITH_BATCHES = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = ?
            ORDER BY b.id""";
    private static final String PRODUCT_WITH_BATCHES_BY_BATCH_REF = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = (SELECT sku FROM batches WHERE reference = ?)
            ORDER BY b.id""";
    // Pessimistic: lock the product row first, then read its batches in a statement of their own,
    // which (READ COMMITTED) sees everything the previous holder of the lock committed.
    private static final String LOCK_PRODUCT =
            "SELECT sku, version FROM products WHERE sku = ? FOR UPDATE";
    private static final String LOCK_PRODUCT_BY_BATCH_REF =
            "SELECT sku, version FROM products WHERE sku = (SELECT sku FROM batches WHERE reference = ?) FOR UPDATE";
    private static final String BATCHES = """
            SELECT reference, purchased_quantity, allocated_quantity, eta
            FROM batches
            WHERE sku = ?
            ORDER BY id""";

    private static final String INSERT_PRODUCT = "INSERT INTO products (sku, version) VALUES (?, ?)";
    private static final String UPDATE_PRODUCT_VERSION =
            "UPDATE products SET version = ? WHERE sku = ? AND version = ?";
    private static final String INSERT_BATCH = """
            INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta)
            VALUES (?, ?, ?, ?, ?)""";
    private static final String DELETE_LINE =
            "DELETE FROM allocations WHERE orderid = ? AND sku = ? AND batchref = ?";
    private static final String INSERT_LINE =
            "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)";
    private static final String UPDATE_BATCH = """
            UPDATE batches SET purchased_quantity = ?, allocated_quantity = ?
            WHERE reference = ?""";

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
        return unit.read(handle -> locking == Locking.PESSIMISTIC
                ? lockAndLoad(handle, LOCK_PRODUCT, sku)
                : load(handle, PRODUCT_WITH_BATCHES, sku));
    }

    @Override
    protected Optional<Product> loadByBatchRef(String batchRef) {
        return unit.read(handle -> locking == Locking.PESSIMISTIC
                ? lockAndLoad(handle, LOCK_PRODUCT_BY_BATCH_REF, batchRef)
                : load(handle, PRODUCT_WITH_BATCHES_BY_BATCH_REF, batchRef));
    }

    private Optional<Product> load(Handle handle, String sql, String key) {
        List<Row> rows = Sql.list(handle, sql, statement -> statement.setString(1, key), rs -> new Row(
                rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                rs.getObject(6, LocalDate.class)));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row first = rows.get(0);
        List<Row> batches = first.reference() == null ? List.of() : rows;
        return Optional.of(track(first.sku(), first.version(), batches));
    }

    private Optional<Product> lockAndLoad(Handle handle, String lockSql, String key) {
        Optional<Row> locked = Sql.first(handle, lockSql, statement -> statement.setString(1, key),
                rs -> new Row(rs.getString(1), rs.getLong(2), null, 0, 0, null));
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        String sku = locked.get().sku();
        long version = locked.get().version();
        List<Row> batches = Sql.list(handle, BATCHES, statement -> statement.setString(1, sku), rs -> new Row(
                sku, version, rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getObject(4, LocalDate.class)));
        return Optional.of(track(sku, version, batches));
    }

    /** The product of these rows, with its version and batches as loaded, for the save to compare. */
    private Product track(String sku, long version, List<Row> rows) {
        JdbiStoredLines stored = new JdbiStoredLines(unit, sku);
        List<Batch> batches = new ArrayList<>(rows.size());
        Map<String, Loaded> loadedBatches = new HashMap<>();
        for (Row row : rows) {
            TrackedAllocations lines = new TrackedAllocations(row.reference(), row.allocated(), stored);
            batches.add(new Batch(row.reference(), sku, row.purchased(), row.eta(), lines));
            loadedBatches.put(row.reference(), new Loaded(row.purchased(), row.allocated(), lines));
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
     * Writes what changed, product by product. The product row comes first: its version check (or
     * insert) takes the row lock that serializes writers of one sku, so a stale unit fails before it
     * touches anything else, and two writers never lock batch rows in opposite orders. Then, in the
     * order the constraints need: new batches, removed lines, new lines, changed batch rows; last, the
     * read-model rows that the product's events imply, tagged with its new version.
     */
    void save(Handle handle, List<Product> seen) {
        for (Product product : seen) {
            Tracked tracked = tracked(product);
            if (tracked.changed()) {
                save(handle, tracked);
            }
        }
    }

    /** How {@code product} was loaded; a product the unit added was loaded from nothing. */
    private Tracked tracked(Product product) {
        Tracked tracked = loaded.get(product);
        return tracked != null ? tracked : new Tracked(product, null, Map.of());
    }

    private void save(Handle handle, Tracked tracked) {
        Product product = tracked.product();
        String sku = product.sku();
        long version = product.versionNumber();
        if (tracked.loadedVersion() == null) {
            insertOrConflict(() -> Sql.update(handle, INSERT_PRODUCT, statement -> {
                statement.setString(1, sku);
                statement.setLong(2, version);
            }), "Product " + sku + " was created concurrently");
        } else {
            long loaded = tracked.loadedVersion();
            int updated = Sql.update(handle, UPDATE_PRODUCT_VERSION, statement -> {
                statement.setLong(1, version);
                statement.setString(2, sku);
                statement.setLong(3, loaded);
            });
            if (updated != 1) {
                throw new ConcurrencyConflict("Product " + sku + " changed since it was loaded at version " + loaded);
            }
        }

        List<Batch> added = new ArrayList<>();
        List<Batch> changed = new ArrayList<>();
        List<Line> removedLines = new ArrayList<>();
        List<Line> addedLines = new ArrayList<>();
        for (Batch batch : product.batches()) {
            Loaded before = tracked.loadedBatches().get(batch.reference());
            if (before == null) {
                added.add(batch);
            } else if (before.purchased() != batch.purchasedQuantity()
                    || before.allocated() != batch.allocatedQuantity()) {
                changed.add(batch);
            }
            TrackedAllocations lines = before == null ? null : before.lines();
            for (OrderLine line : TrackedAllocations.toDelete(lines)) {
                removedLines.add(new Line(line, batch.reference()));
            }
            for (OrderLine line : TrackedAllocations.toInsert(batch, lines)) {
                addedLines.add(new Line(line, batch.reference()));
            }
        }

        insertOrConflict(() -> Sql.batch(handle, INSERT_BATCH, added, (statement, batch) -> {
            statement.setString(1, batch.reference());
            statement.setString(2, sku);
            statement.setInt(3, batch.purchasedQuantity());
            statement.setInt(4, batch.allocatedQuantity());
            statement.setObject(5, batch.eta().orElse(null), Types.DATE);
        }), "A batch of product " + sku + " was created concurrently");
        int deleted = Sql.batch(handle, DELETE_LINE, removedLines, (statement, line) -> {
            statement.setString(1, line.line().orderId());
            statement.setString(2, line.line().sku());
            statement.setString(3, line.batchRef());
        });
        if (deleted != removedLines.size()) {
            throw new ConcurrencyConflict("Order lines of product " + sku + " changed since they were read");
        }
        Sql.batch(handle, INSERT_LINE, addedLines, (statement, line) -> {
            statement.setString(1, line.line().orderId());
            statement.setString(2, line.line().sku());
            statement.setInt(3, line.line().qty());
            statement.setString(4, line.batchRef());
        });
        Sql.batch(handle, UPDATE_BATCH, changed, (statement, batch) -> {
            statement.setInt(1, batch.purchasedQuantity());
            statement.setInt(2, batch.allocatedQuantity());
            statement.setString(3, batch.reference());
        });
        insertOrConflict(() -> Sql.batch(handle, unit.dialect().writeView(), ViewChange.of(product.events()),
                (statement, row) -> {
                    statement.setString(1, row.orderId());
                    statement.setString(2, row.sku());
                    statement.setString(3, row.batchRef());
                    statement.setLong(4, version);
                }), "A read-model row of product " + sku + " was repaired concurrently");
    }

    private void insertOrConflict(Runnable insert, String conflict) {
        try {
            insert.run();
        } catch (RuntimeException e) {
            if (Failures.isUniqueViolation(e, unit.dialect())) {
                throw new ConcurrencyConflict(conflict, e);
            }
            throw e;
        }
    }

    private record Row(String sku, long version, String reference, int purchased, int allocated, LocalDate eta) {
    }

    /** A batch as loaded: its quantities then, and its lines, which know what changed since. */
    private record Loaded(int purchased, int allocated, TrackedAllocations lines) {
    }

    private record Line(OrderLine line, String batchRef) {
    }

    /** A product this unit has seen: loaded (its version and batches as read) or added (version null). */
    private record Tracked(Product product, Long loadedVersion, Map<String, Loaded> loadedBatches) {
        boolean changed() {
            return loadedVersion == null || product.versionNumber() != loadedVersion;
        }
    }
}
