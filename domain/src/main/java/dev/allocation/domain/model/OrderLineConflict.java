package dev.allocation.domain.model;

import dev.allocation.domain.Refusal;

/**
 * Refuses to allocate an order line when the same order already holds a different quantity of that
 * sku: allocation is idempotent per (orderId, sku), so a second, different line is a client error.
 *
 * <p>The message names only what the caller sent (the order, the sku, the quantity asked for): it may
 * reach a client that is not the one who allocated the line held, so the quantity held and its batch
 * are left to {@link #held()} and {@link #batchRef()}, for the code that embeds the library.
 */
public final class OrderLineConflict extends Refusal {

    private final transient OrderLine held;
    /** The batch that holds the line. */
    private final String batchRef;

    /**
     * @param held the line the order holds
     * @param batchRef the batch that holds it
     * @param wanted the line refused
     */
    public OrderLineConflict(OrderLine held, String batchRef, OrderLine wanted) {
        super("Order " + wanted.orderId() + " already has a line of sku " + wanted.sku()
                + " with another quantity; cannot allocate " + wanted.qty() + " instead");
        this.held = held;
        this.batchRef = batchRef;
    }

    /** The line the order holds already. */
    public OrderLine held() {
        return held;
    }

    /** The batch holding it. */
    public String batchRef() {
        return batchRef;
    }
}
