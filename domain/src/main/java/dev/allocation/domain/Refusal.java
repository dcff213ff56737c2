package dev.allocation.domain;

/**
 * A request the caller must change before it can succeed (an unknown sku or batch, a duplicate batch,
 * a conflicting order line); its message says what, in the caller's terms. Driving adapters answer it
 * as the caller's error (an HTTP 400, a message set aside), never as a failure of the service.
 */
public abstract class Refusal extends RuntimeException {

    /** @param message what the caller must change, in the caller's terms */
    protected Refusal(String message) {
        super(message);
    }
}
