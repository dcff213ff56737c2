package dev.allocation.domain.events;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;

/** An order line lost its batch (the batch shrank) and needs allocating again. */
public record Deallocated(String orderId, String sku, int qty) implements Event {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public Deallocated {
        Identifier.require(orderId, "orderId");
        Identifier.require(sku, "sku");
        Quantity.positive(qty, "qty");
    }
}
