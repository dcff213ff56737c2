package dev.allocation.domain.model;

import dev.allocation.domain.Eta;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An entity: a quantity of one sku that has arrived in the warehouse ({@code eta} empty) or is on its
 * way, to which order lines are allocated. Two batches are equal when their references are, as
 * entities are equal by identity, not by their changing attributes.
 *
 * <p>A batch keeps its allocated quantity itself and remembers which lines were allocated and
 * deallocated since it was loaded, so that a store loads lines only when needed and writes only
 * what changed.
 */
public final class Batch {

    private final String reference;
    private final String sku;
    private final LocalDate eta;
    private final AllocatedLines stored;
    private final Map<String, OrderLine> added = new LinkedHashMap<>();
    private final Map<String, OrderLine> removed = new HashMap<>();
    private int purchasedQuantity;
    private int allocatedQuantity;

    /** A new batch holding no lines; {@code eta} null means it is in the warehouse now, else a date in the years 1 to 9999. */
    public Batch(String reference, String sku, int purchasedQuantity, LocalDate eta) {
        this(reference, sku, purchasedQuantity, eta, 0, AllocatedLines.NONE);
    }

    private Batch(String reference, String sku, int purchasedQuantity, LocalDate eta,
                  int allocatedQuantity, AllocatedLines stored) {
        this.reference = Identifier.require(reference, "reference");
        this.sku = Identifier.require(sku, "sku");
        this.purchasedQuantity = Quantity.nonNegative(purchasedQuantity, "purchasedQuantity");
        this.eta = Eta.require(eta, "eta");
        this.allocatedQuantity = Quantity.nonNegative(allocatedQuantity, "allocatedQuantity");
        this.stored = Objects.requireNonNull(stored, "stored lines must not be null");
    }

    /**
     * A batch as a store kept it: its quantities, and its lines to be read from {@code lines} when a
     * change needs them. For repositories; the domain itself creates batches with the constructor.
     */
    public static Batch restore(String reference, String sku, int purchasedQuantity, LocalDate eta,
                                int allocatedQuantity, AllocatedLines lines) {
        return new Batch(reference, sku, purchasedQuantity, eta, allocatedQuantity, lines);
    }

    public String reference() {
        return reference;
    }

    public String sku() {
        return sku;
    }

    public int purchasedQuantity() {
        return purchasedQuantity;
    }

    /** When the batch arrives; empty when it is in the warehouse already. */
    public Optional<LocalDate> eta() {
        return Optional.ofNullable(eta);
    }

    public int allocatedQuantity() {
        return allocatedQuantity;
    }

    public int availableQuantity() {
        return purchasedQuantity - allocatedQuantity;
    }

    /** True when the line is for this batch's sku and the batch has enough available for it. */
    public boolean canAllocate(OrderLine line) {
        return sku.equals(line.sku()) && availableQuantity() >= line.qty();
    }

    /** Allocates the line; does nothing when it cannot, or when it holds a line of that order already. */
    public void allocate(OrderLine line) {
        if (lineFor(line.orderId()).isPresent() || !canAllocate(line)) {
            return;
        }
        if (line.equals(removed.get(line.orderId()))) {
            removed.remove(line.orderId());
        } else {
            added.put(line.orderId(), line);
        }
        allocatedQuantity += line.qty();
    }

    /** Deallocates the line; does nothing when the batch does not hold it. */
    public void deallocate(OrderLine line) {
        if (!lineFor(line.orderId()).filter(line::equals).isPresent()) {
            return;
        }
        if (added.remove(line.orderId()) == null) {
            removed.put(line.orderId(), line);
        }
        allocatedQuantity -= line.qty();
    }

    /** The line this batch holds for {@code orderId}, if any. */
    public Optional<OrderLine> lineFor(String orderId) {
        OrderLine fresh = added.get(orderId);
        if (fresh != null) {
            return Optional.of(fresh);
        }
        if (removed.containsKey(orderId)) {
            return Optional.empty();
        }
        return stored.find(reference, orderId);
    }

    /** Every line the batch holds, oldest allocation first. Reads stored lines: use only when needed. */
    public List<OrderLine> allocations() {
        List<OrderLine> lines = new ArrayList<>();
        for (OrderLine line : stored.all(reference)) {
            if (!removed.containsKey(line.orderId())) {
                lines.add(line);
            }
        }
        lines.addAll(added.values());
        return lines;
    }

    /** Lines allocated since the batch was loaded or created, for stores to insert. */
    public List<OrderLine> allocatedSinceLoaded() {
        return List.copyOf(added.values());
    }

    /** Stored lines deallocated since the batch was loaded, for stores to delete. */
    public List<OrderLine> deallocatedSinceLoaded() {
        return List.copyOf(removed.values());
    }

    void changePurchasedQuantity(int qty) {
        purchasedQuantity = Quantity.nonNegative(qty, "qty");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Batch batch && reference.equals(batch.reference);
    }

    @Override
    public int hashCode() {
        return reference.hashCode();
    }

    @Override
    public String toString() {
        return "Batch[" + reference + ", " + sku + ", " + allocatedQuantity + "/" + purchasedQuantity
                + (eta == null ? ", in warehouse" : ", eta " + eta) + "]";
    }
}
