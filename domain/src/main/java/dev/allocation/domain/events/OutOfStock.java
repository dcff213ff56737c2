package dev.allocation.domain.events;

import dev.allocation.domain.Identifier;

/** No batch of this sku could take an order line. */
public record OutOfStock(String sku) implements Event {
    public OutOfStock {
        Identifier.require(sku, "sku");
    }
}
