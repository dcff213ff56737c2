package dev.allocation.application.port;

import dev.allocation.application.AllocationView;
import java.util.List;

/**
 * The read side of CQRS: which batch holds each order line, kept beside the write model and read
 * without loading any aggregate.
 *
 * <p>Event handlers update it with {@link #refresh}: rather than trusting the order in which
 * events arrive from concurrent commands, it copies what is allocated now, tagged with the product's
 * version, and never replaces a row with an older one. So it never shows a line in two batches, nor a
 * line that is no longer allocated, whatever the concurrency; and a repeated event changes nothing.
 */
public interface AllocationsReadModel {

    /** Makes the row of (orderId, sku) show what the write model holds now: its batch, or nothing. */
    void refresh(String orderId, String sku);

    /** The allocations of an order, by sku; empty when it has none. */
    List<AllocationView> allocationsFor(String orderId);
}
