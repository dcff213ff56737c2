package dev.allocation.domain.commands;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;

/** Allocate {@code qty} units of {@code sku} to order {@code orderId}; idempotent per (orderId, sku). */
public record Allocate(String orderId, String sku, int qty) implements Command {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public Allocate {
        Identifier.require(orderId, "orderId");
        Identifier.require(sku, "sku");
        Quantity.positive(qty, "qty");
    }
}
