package dev.allocation.application;

/** An order asked for a sku the service has no product for. */
public class InvalidSku extends RuntimeException {

    public InvalidSku(String sku) {
        super("Invalid sku " + sku);
    }
}
