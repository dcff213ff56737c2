package dev.allocation.domain.model;

import dev.allocation.domain.Eta;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An entity: stock of one sku, in the warehouse ({@code eta} empty) or on its way, to which order lines
 * are allocated. Equal by reference, not by its changing attributes.
 */
public final class Batch {

    private final String reference;
    private final String sku;
    private final LocalDate eta;
    private int purchasedQuantity;
    private final Allocations allocations;

    /** A new batch holding no lines; {@code eta} null means it is in the warehouse now. */
    public Batch(String reference, String sku, int purchasedQuantity, LocalDate eta) {
        this(reference, sku, purchasedQuantity, eta, new Allocations.InMemory());
    }

    /** A batch holding the lines of {@code allocations}: a store's, for a batch it kept. */
    public Batch(String reference, String sku, int purchasedQuantity, LocalDate eta, Allocations allocations) {
        this.reference = Identifier.require(reference, "reference");
        this.sku = Identifier.require(sku, "sku");
        this.purchasedQuantity = Quantity.nonNegative(purchasedQuantity, "purchasedQuantity");
        this.eta = Eta.require(eta, "eta");
        this.allocations = Objects.requireNonNull(allocations, "allocations must not be null");
    }

    /** Allocates the line when it can; a line of an order it holds already changes nothing. */
    public void allocate(OrderLine line) {
        if (canAllocate(line)) {
            allocations.add(line);
        }
    }

    /** Deallocates the line; does nothing when the batch does not hold it. */
    public void deallocate(OrderLine line) {
        allocations.remove(line);
    }

    /** The quantity of the lines it holds. */
    public int allocatedQuantity() {
        return allocations.quantity();
    }

    /** What is left to allocate: negative when over-allocated. */
    public int availableQuantity() {
        return purchasedQuantity - allocatedQuantity();
    }

    /** True when the line is of this batch's sku and the batch has enough available for it. */
    public boolean canAllocate(OrderLine line) {
        return sku.equals(line.sku()) && availableQuantity() >= line.qty();
    }

    /** The batch reference, unique across every sku. */
    public String reference() {
        return reference;
    }

    /** The sku of every line this batch holds. */
    public String sku() {
        return sku;
    }

    /** The quantity bought, allocated or not. */
    public int purchasedQuantity() {
        return purchasedQuantity;
    }

    /** When the batch arrives; empty when it is in the warehouse now. */
    public Optional<LocalDate> eta() {
        return Optional.ofNullable(eta);
    }

    /** The line of that order it holds, if any. */
    public Optional<OrderLine> lineFor(String orderId) {
        return allocations.lineFor(orderId);
    }

    /** Every line the batch holds, oldest allocation first. Reads them all: use only when needed. */
    public List<OrderLine> allocations() {
        return allocations.oldestFirst();
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
        return "Batch[" + reference + ", " + sku + ", " + allocatedQuantity() + "/" + purchasedQuantity
                + (eta == null ? ", in warehouse" : ", eta " + eta) + "]";
    }
}
