package dev.allocation.domain.commands;

import dev.allocation.domain.Eta;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;
import java.time.LocalDate;

/** Add a batch of stock; {@code eta} null means it is in the warehouse now, else a date in the years 1 to 9999. */
public record CreateBatch(String ref, String sku, int qty, LocalDate eta) implements Command {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public CreateBatch {
        Identifier.require(ref, "ref");
        Identifier.require(sku, "sku");
        Quantity.nonNegative(qty, "qty");
        Eta.require(eta, "eta");
    }
}
