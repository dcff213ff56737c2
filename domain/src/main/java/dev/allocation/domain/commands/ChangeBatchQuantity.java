package dev.allocation.domain.commands;

import dev.allocation.domain.Identifier;
import dev.allocation.domain.Quantity;

/** Change how many units a batch really has; lines it can no longer hold are deallocated. */
public record ChangeBatchQuantity(String ref, int qty) implements Command {
    /** Checks the values where they enter; the exception for a refused one names the field. */
    public ChangeBatchQuantity {
        Identifier.require(ref, "ref");
        Quantity.nonNegative(qty, "qty");
    }
}
