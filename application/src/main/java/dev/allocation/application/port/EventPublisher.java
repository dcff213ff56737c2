package dev.allocation.application.port;

import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.domain.events.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands events to other systems (a message broker, say); in-process handlers do not go through it.
 *
 * <p>For the outbox relay, a failure is transient unless marked permanent: throw a
 * {@link PermanentPublishFailure}, or complete {@link #publishAsync} exceptionally with one (wrapped in a
 * {@code CompletionException} or {@code ExecutionException} or not), when this event can never be
 * published (too large, refused as malformed, not authorised); the relay marks it dead at once.
 * Any other exception (the broker unreachable, a timeout, a lost connection) is retried for as long as it
 * lasts, so a publisher that knows no better is never the cause of a dead event.
 */
public interface EventPublisher {

    /** Publishes the event for other systems. */
    void publish(Event event);

    /**
     * Publishes the event with the id the outbox gave it, the same for every delivery of that event, so
     * that a consumer can drop a repeat. Publishers that do not pass ids on need not override it.
     *
     * @throws PermanentPublishFailure when this event can never be published: the relay marks it dead
     * @throws RuntimeException        when the event was not accepted this time: the relay tries again later
     */
    default void publish(String eventId, Event event) {
        publish(event);
    }

    /**
     * Starts publishing the event, for a relay that has several to hand over at once; the stage
     * completes when the event was accepted, exceptionally when it was not (with a
     * {@link PermanentPublishFailure} when it never can be). By default it publishes
     * at once, on the caller's thread. A publisher that can have several publishes in flight (a
     * pipelined connection) overrides it; the relay never has two events of one sku in flight.
     */
    default CompletionStage<Void> publishAsync(String eventId, Event event) {
        try {
            publish(eventId, event);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
