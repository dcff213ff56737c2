package dev.allocation.domain.commands;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;
import java.time.LocalDate;

/** Add a batch of stock; {@code eta} null means it is in the warehouse now. */
public record CreateBatch(String ref, String sku, int qty, LocalDate eta) implements Command {
    public CreateBatch {
        Identifier.require(ref, "ref");
        Identifier.require(sku, "sku");
        Quantity.nonNegative(qty, "qty");
    }
}
