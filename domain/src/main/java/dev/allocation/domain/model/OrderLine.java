package dev.allocation.domain.model;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;

/** A value object: {@code qty} units of {@code sku} wanted by order {@code orderId}. */
public record OrderLine(String orderId, String sku, int qty) {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public OrderLine {
        Identifier.require(orderId, "orderId");
        Identifier.require(sku, "sku");
        Quantity.positive(qty, "qty");
    }
}
