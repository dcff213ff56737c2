package dev.allocation.application.port;

import dev.allocation.application.AllocationView;
import java.util.List;

/**
 * The read side of CQRS: which batch holds each order line, kept beside the write model and read
 * without loading any aggregate.
 *
 * <p>A storage adapter's unit of work writes its rows ({@link ViewChange}) in the same transaction as
 * the product they come from, each tagged with the product's version. {@link #refresh} repairs one row
 * outside any command: it copies what is allocated now, and never replaces a row with an older one. So
 * the model never shows a line in two batches, nor a line that is no longer allocated, whatever the
 * concurrency.
 */
public interface AllocationsReadModel {

    /**
     * Makes the row of (orderId, sku) show what the write model holds now: its batch, or nothing. For
     * repairs (a row missing or stale since an older version of this service crashed): commands keep
     * the rows up to date themselves.
     */
    void refresh(String orderId, String sku);

    /** The allocations of an order, by sku; empty when it has none. */
    List<AllocationView> allocationsFor(String orderId);
}
