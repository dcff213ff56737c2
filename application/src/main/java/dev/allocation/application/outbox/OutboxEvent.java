package dev.allocation.application.outbox;

import dev.allocation.domain.events.Event;
import java.time.Instant;
import java.util.Objects;

/**
 * An integration event as the outbox keeps it: recorded with the change that raised it, handed to the
 * {@link dev.allocation.application.port.EventPublisher} by the relay, retried for as long as its publish
 * fails transiently, and dead only when the publisher says it can never be published
 * ({@link PermanentPublishFailure}).
 *
 * @param position      the order in which events were recorded; per sku, the order of their commits
 * @param eventId       the same for every delivery of this event, so that a consumer can drop a repeat
 * @param sku           the key whose events are published in order
 * @param event         the event itself
 * @param recordedAt    when its command committed it
 * @param attempts      how many publishes of it failed, transiently or not (for operators: it makes
 *                      nothing dead)
 * @param nextAttemptAt when the relay may try it again
 * @param claimedUntil  while a relay publishes it, when its lease lapses (null when unclaimed; the package's
 *                      <a href="package-summary.html#lease">lease</a>)
 * @param lastError     why the last publish failed (null when none did)
 */
public record OutboxEvent(long position, String eventId, String sku, Event event, Instant recordedAt,
                          int attempts, Instant nextAttemptAt, Instant claimedUntil, String lastError) {

    public OutboxEvent {
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(sku, "sku must not be null");
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(recordedAt, "recordedAt must not be null");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt must not be null");
    }

    /** True when a claim may take it at {@code now}: due, and not leased to a relay still at work. */
    boolean isDue(Instant now) {
        return !nextAttemptAt.isAfter(now) && (claimedUntil == null || claimedUntil.isBefore(now));
    }
}
