package dev.allocation.application;

import dev.allocation.domain.Refusal;

/** An order asked for a sku the service has no product for. */
public class InvalidSku extends Refusal {

    /** @param sku the sku asked for, named in the message "Invalid sku &lt;sku&gt;" */
    public InvalidSku(String sku) {
        super("Invalid sku " + sku);
    }
}
