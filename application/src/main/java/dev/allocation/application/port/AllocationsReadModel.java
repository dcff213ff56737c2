package dev.allocation.application.port;

import dev.allocation.application.AllocationView;
import java.util.List;

/**
 * The read side of CQRS: which batch holds each order line, read without loading any aggregate. Only
 * units of work write its rows ({@link dev.allocation.application.unitofwork.ViewChange}), in the transaction that changes the product, after
 * the version check that serialises the writers of a sku; so the rows agree with the store at every
 * commit, and it never shows a line in two batches, nor a line no longer allocated, whatever the
 * concurrency.
 */
public interface AllocationsReadModel {

    /** The allocations of an order, by sku; empty when it has none. */
    List<AllocationView> allocationsFor(String orderId);
}
