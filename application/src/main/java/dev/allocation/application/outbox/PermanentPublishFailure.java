package dev.allocation.application.outbox;

/**
 * What an {@link dev.allocation.application.port.EventPublisher} throws, or completes a publish with, when
 * this event can never be published, however often it is tried: too large for the broker, refused as
 * malformed, not authorised. The relay marks such an event dead at once, and the later events of its sku
 * wait until an operator republishes or purges it.
 *
 * <p>Every other failure is transient (the broker unreachable, a timeout, a lost connection): the relay
 * retries it, with a backoff, for as long as it lasts, and never makes the event dead for it. So a
 * publisher that throws nothing of this type is always retried.
 */
public class PermanentPublishFailure extends RuntimeException {

    /**
     * @param message why the event can never be published
     * @param cause   the broker's own failure, or null
     */
    public PermanentPublishFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
