package dev.allocation.domain.model;

import dev.allocation.domain.Refusal;

/**
 * Refuses to allocate an order line when the same order already holds a different quantity of that
 * sku: allocation is idempotent per (orderId, sku), so a second, different line is a client error.
 */
public final class OrderLineConflict extends Refusal {

    public OrderLineConflict(OrderLine held, String batchRef, OrderLine wanted) {
        super("Order " + held.orderId() + " already has " + held.qty() + " of sku " + held.sku()
                + " allocated to batch " + batchRef + "; cannot allocate " + wanted.qty() + " instead");
    }
}
