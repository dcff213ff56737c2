package dev.allocation.application.port;

/**
 * A commit lost an optimistic-concurrency race: the product changed since it was loaded. Storage
 * adapters throw it; the message bus retries the whole command from the start.
 */
public class ConcurrencyConflict extends RuntimeException {

    /** @param message which write lost, and to what */
    public ConcurrencyConflict(String message) {
        super(message);
    }

    /**
     * @param message which write lost, and to what
     * @param cause the store's own error
     */
    public ConcurrencyConflict(String message, Throwable cause) {
        super(message, cause);
    }
}
