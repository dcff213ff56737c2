package dev.allocation.application.port;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The transactional outbox: where a unit of work records, in the transaction of the change that raised
 * them, the events that leave the service, and where the relay finds them to publish. A storage adapter
 * records an event at commit ({@link AbstractUnitOfWork} hands it {@link #recorded the events to
 * record}) and keeps it until the relay has published it and its retention has passed.
 *
 * <p>Claims are safe among relays on several instances: a claimed event is another relay's only once
 * its claim lapsed (the relay that claimed it died, or overran it), and {@link OutboxClaim} keeps the
 * events of a sku in commit order: none is claimed while an earlier event of its sku waits for a retry,
 * is claimed, or is dead. A store tells each claim of its dead events ({@link OutboxClaim#holdBack}).
 */
public interface Outbox {

    /** The longest error text a store must keep for an event ({@link #retryLater}, {@link #setAside}). */
    int MAX_ERROR_LENGTH = 1000;

    /**
     * The events that leave the service, of all those a command raised: {@link Allocated}. They are
     * recorded with the key their order is kept by, the sku.
     */
    static Optional<String> keyOf(Event event) {
        return event instanceof Allocated allocated ? Optional.of(allocated.sku()) : Optional.empty();
    }

    /** The events among {@code events} that are recorded in the outbox, in the order given. */
    static List<Event> recorded(List<? extends Event> events) {
        return events.stream().filter(event -> keyOf(event).isPresent()).map(Event.class::cast).toList();
    }

    /**
     * Claims up to {@code limit} pending events chosen by {@link OutboxClaim}, oldest first, for a relay
     * that will publish them before {@code claimUntil}; claims of several relays never overlap.
     */
    List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil);

    /** Marks the events published; they are kept for a while, then deleted. */
    void published(List<OutboxEvent> events, Instant at);

    /**
     * Counts a failed publish and gives the event back, to be tried again at {@code nextAttemptAt}; the
     * later events of its sku wait until then.
     */
    void retryLater(OutboxEvent event, String error, Instant nextAttemptAt);

    /**
     * Counts a failed publish and sets the event aside as dead, for a publish that can never succeed: the
     * later events of its sku stay pending, and no claim takes them, until it is republished or purged.
     */
    void setAside(OutboxEvent event, String error, Instant at);

    /** Gives claimed events back unpublished, to be claimed again at once. */
    void release(List<OutboxEvent> events);

    /** Deletes up to {@code limit} events published before {@code before}; returns how many. */
    int deletePublished(Instant before, int limit);

    /** The pending events (those held back behind a dead one too) and the dead ones, at {@code now}. */
    OutboxBacklog backlog(Instant now);

    /** Up to {@code limit} dead events, oldest first. */
    List<OutboxEvent> dead(int limit);

    /**
     * Makes a dead event pending again, its attempts reset, in its place in its sku's order: the later
     * events of its sku are claimed after it. False when no dead event has that id.
     */
    boolean republish(String eventId, Instant now);

    /** Deletes a dead event, releasing the later events of its sku; false when no dead event has that id. */
    boolean purge(String eventId);

    /** Deletes every dead event, releasing every sku held back; returns how many. */
    int purgeDead();

    /**
     * Asks to be told, after each commit that recorded events, so that a relay wakes at once instead of
     * at its next poll. Stores that cannot tell need not: the relay polls as well.
     */
    default void onRecorded(Runnable listener) {
    }
}
