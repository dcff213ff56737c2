package dev.allocation.application.unitofwork;

import dev.allocation.domain.Quantity;
import dev.allocation.domain.model.Allocations;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lines of a batch a store kept: its allocated quantity as stored, its lines read from
 * {@link StoredLines} only when the batch asks, and what was added and removed since loading, which is
 * all the store writes back. This keeps the cost of an allocation flat however many lines a sku holds.
 */
public final class TrackedAllocations implements Allocations {

    private final String batchRef;
    private final StoredLines stored;
    private final Map<String, OrderLine> added = new LinkedHashMap<>();
    private final Map<String, OrderLine> removed = new HashMap<>();
    private int quantity;
    /** The order last looked up in the stored lines and what they held: a change looks its order up twice. */
    private String lookedUp;
    private Optional<OrderLine> found;

    /** The lines of batch {@code batchRef}, {@code storedQuantity} in all, to be read from {@code stored}. */
    public TrackedAllocations(String batchRef, int storedQuantity, StoredLines stored) {
        this.batchRef = Objects.requireNonNull(batchRef, "batchRef must not be null");
        this.quantity = Quantity.nonNegative(storedQuantity, "storedQuantity");
        this.stored = Objects.requireNonNull(stored, "stored lines must not be null");
    }

    /** The lines of {@code batch} a store inserts: added since {@code loaded}, or all for a new batch (null). */
    public static List<OrderLine> toInsert(Batch batch, TrackedAllocations loaded) {
        return loaded == null ? batch.allocations() : loaded.added();
    }

    /** The stored lines a store deletes: removed since {@code loaded}; none for a new batch (null). */
    public static List<OrderLine> toDelete(TrackedAllocations loaded) {
        return loaded == null ? List.of() : loaded.removed();
    }

    List<OrderLine> added() {
        return List.copyOf(added.values());
    }

    List<OrderLine> removed() {
        return List.copyOf(removed.values());
    }

    @Override
    public Optional<OrderLine> lineFor(String orderId) {
        if (added.containsKey(orderId)) {
            return Optional.of(added.get(orderId));
        }
        if (removed.containsKey(orderId)) {
            return Optional.empty();
        }
        if (!orderId.equals(lookedUp)) {
            found = stored.find(batchRef, orderId);
            lookedUp = orderId;
        }
        return found;
    }

    @Override
    public void add(OrderLine line) {
        if (lineFor(line.orderId()).isPresent()) {
            return;
        }
        if (!removed.remove(line.orderId(), line)) {
            added.put(line.orderId(), line);
        }
        quantity += line.qty();
    }

    @Override
    public void remove(OrderLine line) {
        if (lineFor(line.orderId()).filter(line::equals).isEmpty()) {
            return;
        }
        if (added.remove(line.orderId()) == null) {
            removed.put(line.orderId(), line);
        }
        quantity -= line.qty();
    }

    @Override
    public int quantity() {
        return quantity;
    }

    @Override
    public List<OrderLine> oldestFirst() {
        List<OrderLine> lines = new ArrayList<>(stored.all(batchRef));
        lines.removeIf(line -> removed.containsKey(line.orderId()));
        lines.addAll(added.values());
        return lines;
    }
}
