package dev.allocation.application.port;

import dev.allocation.application.AllocationView;
import java.util.List;

/**
 * The read side of CQRS: which batch holds each order line, read without loading any aggregate. Units
 * of work write its rows ({@link ViewChange}) in the product's transaction, tagged with the product's
 * version, and no row is ever replaced by an older one: it never shows a line in two batches, nor a
 * line no longer allocated, whatever the concurrency.
 */
public interface AllocationsReadModel {

    /** Makes the row of (orderId, sku) show what the write model holds now: for repairing a stale row. */
    void refresh(String orderId, String sku);

    /** The allocations of an order, by sku; empty when it has none. */
    List<AllocationView> allocationsFor(String orderId);
}
