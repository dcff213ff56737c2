package dev.allocation.domain.model;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.events.OutOfStock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The aggregate: every batch of one sku, changed only through this object so that its rules hold.
 * Every change bumps its version number by one, which lets a store refuse the second of two concurrent
 * writers (optimistic concurrency). It raises events as it changes; the unit of work collects them.
 */
public final class Product {

    private static final Comparator<Batch> WAREHOUSE_FIRST_THEN_EARLIEST_ETA =
            Comparator.comparing(batch -> batch.eta().orElse(LocalDate.MIN));

    private final String sku;
    private final List<Batch> batches;
    private final List<Event> events = new ArrayList<>();
    private long versionNumber;

    /** A product never stored before, at version 0. */
    public Product(String sku, List<Batch> batches) {
        this(sku, batches, 0);
    }

    /** A product holding the very batches given, at the given version. */
    public Product(String sku, List<Batch> batches, long versionNumber) {
        this.sku = Identifier.require(sku, "sku");
        if (versionNumber < 0) {
            throw new IllegalArgumentException("versionNumber must not be negative, was " + versionNumber);
        }
        Set<String> references = new HashSet<>();
        for (Batch batch : Objects.requireNonNull(batches, "batches must not be null")) {
            requireOwn(batch);
            if (!references.add(batch.reference())) {
                throw new IllegalArgumentException("batches hold reference " + batch.reference() + " twice");
            }
        }
        this.batches = new ArrayList<>(batches);
        this.versionNumber = versionNumber;
    }

    /** The sku of this product, the aggregate's identity. */
    public String sku() {
        return sku;
    }

    /** The batches, unmodifiable: change them through the product. */
    public List<Batch> batches() {
        return Collections.unmodifiableList(batches);
    }

    /** The version, one more at every change, for optimistic concurrency. */
    public long versionNumber() {
        return versionNumber;
    }

    /**
     * Allocates the line to the preferred batch that can take it: warehouse stock first, then the
     * earliest eta. Returns that batch's reference; or, when the order already holds this line, the
     * batch that holds it, changing nothing; or empty, raising {@link OutOfStock}.
     *
     * @throws OrderLineConflict        when the order holds another quantity of this sku already
     * @throws IllegalArgumentException when the line is for another sku
     */
    public Optional<String> allocate(OrderLine line) {
        if (!sku.equals(line.sku())) {
            throw new IllegalArgumentException("Order line for sku " + line.sku() + " cannot go to product " + sku);
        }
        for (Batch batch : batches) {
            Optional<OrderLine> held = batch.lineFor(line.orderId());
            if (held.isPresent()) {
                if (held.get().qty() != line.qty()) {
                    throw new OrderLineConflict(held.get(), batch.reference(), line);
                }
                return Optional.of(batch.reference());
            }
        }
        Optional<Batch> preferred = batches.stream()
                .filter(batch -> batch.canAllocate(line))
                .min(WAREHOUSE_FIRST_THEN_EARLIEST_ETA);
        if (preferred.isEmpty()) {
            events.add(new OutOfStock(sku));
            return Optional.empty();
        }
        Batch batch = preferred.get();
        batch.allocate(line);
        versionNumber++;
        events.add(new Allocated(line.orderId(), line.sku(), line.qty(), batch.reference()));
        return Optional.of(batch.reference());
    }

    /** Adds a new batch of this sku. */
    public void addBatch(Batch batch) {
        requireOwn(batch);
        if (batch(batch.reference()).isPresent()) {
            throw new IllegalArgumentException("Product " + sku + " has a batch " + batch.reference() + " already");
        }
        batches.add(batch);
        versionNumber++;
    }

    /**
     * Sets how many units batch {@code ref} really has, deallocating its newest lines until it is not
     * over-allocated and raising one {@link Deallocated} per line. The same quantity changes nothing.
     */
    public void changeBatchQuantity(String ref, int qty) {
        Batch batch = batch(ref).orElseThrow(() ->
                new IllegalArgumentException("Product " + sku + " has no batch " + ref));
        if (batch.purchasedQuantity() == qty) {
            return;
        }
        batch.changePurchasedQuantity(qty);
        versionNumber++;
        List<OrderLine> lines = batch.availableQuantity() < 0 ? batch.allocations() : List.of();
        for (int i = lines.size() - 1; i >= 0 && batch.availableQuantity() < 0; i--) {
            OrderLine line = lines.get(i);
            batch.deallocate(line);
            events.add(new Deallocated(line.orderId(), line.sku(), line.qty()));
        }
        if (batch.availableQuantity() < 0) {
            throw new IllegalStateException("Batch " + ref + " holds fewer lines than its allocated quantity says");
        }
    }

    /** The batch with this reference, if the product has it. */
    public Optional<Batch> batch(String ref) {
        return batches.stream().filter(batch -> batch.reference().equals(ref)).findFirst();
    }

    /** Events raised and not yet collected, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Hands over the events raised so far, oldest first, and forgets them. */
    public List<Event> collectEvents() {
        List<Event> collected = events();
        events.clear();
        return collected;
    }

    private void requireOwn(Batch batch) {
        if (!sku.equals(Objects.requireNonNull(batch, "batches must not contain null").sku())) {
            throw new IllegalArgumentException(
                    "Batch " + batch.reference() + " of sku " + batch.sku() + " cannot belong to product " + sku);
        }
    }

    @Override
    public String toString() {
        return "Product[" + sku + ", version " + versionNumber + ", " + batches + "]";
    }
}
