package dev.allocation.application;

import dev.allocation.domain.Refusal;

/** An order asked for a sku the service has no product for. */
public class InvalidSku extends Refusal {

    public InvalidSku(String sku) {
        super("Invalid sku " + sku);
    }
}
