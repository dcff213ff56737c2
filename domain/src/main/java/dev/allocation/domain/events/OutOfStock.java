package dev.allocation.domain.events;

import dev.allocation.domain.Identifier;

/** No batch of this sku could take an order line. */
public record OutOfStock(String sku) implements Event {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public OutOfStock {
        Identifier.require(sku, "sku");
    }
}
