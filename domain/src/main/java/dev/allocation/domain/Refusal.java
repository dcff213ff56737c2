package dev.allocation.domain;

/**
 * A request the caller must change before it can succeed: an unknown sku or batch, a duplicate batch
 * reference, an order line that conflicts with the one already allocated. Its message says what, in the
 * caller's terms. Driving adapters answer every refusal alike, as the caller's error (an HTTP 400, a
 * message set aside), never as a failure of the service. Invalid values are refused earlier still, by
 * the commands' constructors.
 */
public abstract class Refusal extends RuntimeException {

    protected Refusal(String message) {
        super(message);
    }
}
