package dev.allocation.domain.model;

import java.util.List;
import java.util.Optional;

/**
 * The order lines a product's batches held when it was loaded from a store, read only when a
 * change needs them. This is what keeps the cost of one allocation flat however many lines a sku
 * already holds: a {@link Batch} keeps its allocated quantity itself, and asks this only for the
 * one order it is about to allocate, or for all its lines when it must shrink.
 *
 * <p>Stores implement it; the domain never writes through it. A batch created in memory uses
 * {@link #NONE}.
 */
public interface AllocatedLines {

    /** Nothing stored: every line of the batch lives in the batch itself. */
    AllocatedLines NONE = new AllocatedLines() {
        @Override
        public Optional<OrderLine> find(String batchRef, String orderId) {
            return Optional.empty();
        }

        @Override
        public List<OrderLine> all(String batchRef) {
            return List.of();
        }
    };

    /** The line of {@code orderId} that batch {@code batchRef} held when loaded, if any. */
    Optional<OrderLine> find(String batchRef, String orderId);

    /** Every line batch {@code batchRef} held when loaded, oldest allocation first. */
    List<OrderLine> all(String batchRef);
}
