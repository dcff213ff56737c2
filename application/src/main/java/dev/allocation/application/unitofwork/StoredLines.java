package dev.allocation.application.unitofwork;

import dev.allocation.domain.model.OrderLine;
import java.util.List;
import java.util.Optional;

/**
 * The order lines a product's batches held when a store loaded it, read only when a change needs them:
 * for the one order being allocated, or for all of a batch's lines when it shrinks. Storage adapters
 * implement it and hand it to {@link TrackedAllocations}.
 */
public interface StoredLines {

    /** The line of {@code orderId} that batch {@code batchRef} held when loaded, if any. */
    Optional<OrderLine> find(String batchRef, String orderId);

    /** Every line batch {@code batchRef} held when loaded, oldest allocation first. */
    List<OrderLine> all(String batchRef);
}
