package dev.allocation.domain.events;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;

/** An order line was allocated to a batch. */
public record Allocated(String orderId, String sku, int qty, String batchRef) implements Event {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public Allocated {
        Identifier.require(orderId, "orderId");
        Identifier.require(sku, "sku");
        Quantity.positive(qty, "qty");
        Identifier.require(batchRef, "batchRef");
    }
}
