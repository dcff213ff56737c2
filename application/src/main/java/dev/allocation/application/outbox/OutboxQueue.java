package dev.allocation.application.outbox;

import java.time.Instant;
import java.util.List;

/**
 * The relay's port on the outbox: the pending events it claims, and what became of each it tried to
 * publish. Claims keep each sku's events in commit order and last a lease (the package's
 * <a href="package-summary.html#order">order per sku</a> and <a href="package-summary.html#lease">lease</a>).
 */
public interface OutboxQueue {

    /** The longest error text a store must keep for an event ({@link #retryLater}, {@link #markDead}). */
    int MAX_ERROR_LENGTH = 1000;

    /**
     * Claims up to {@code limit} pending events chosen by {@link OutboxClaim}, oldest first, until
     * {@code claimUntil}; claims of several relays never overlap.
     */
    List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil);

    /**
     * Marks the events published; they are kept for a while, then deleted ({@link #deletePublished(Instant, int)}):
     * what a relay with a retention asks ({@link OutboxRelay.Settings#retention()}).
     */
    void markPublished(List<OutboxEvent> events, Instant at);

    /**
     * Deletes the events just published, keeping nothing of them: what a relay without a retention asks
     * instead of {@link #markPublished}, since nothing reads a published event again, and a mark is one
     * more write of its row, and a later delete one more, for every event a command records. The default,
     * for a store that does not override it, marks them published now, and the relay's next cleanup
     * deletes them.
     */
    default void deletePublished(List<OutboxEvent> events) {
        markPublished(events, Instant.now());
    }

    /**
     * Counts a failed publish and gives the event back, to be tried again at {@code nextAttemptAt}; the
     * later events of its sku wait until then.
     */
    void retryLater(OutboxEvent event, String error, Instant nextAttemptAt);

    /**
     * Counts a failed publish and marks the event dead, for a publish that can never succeed: the later
     * events of its sku stay pending, and no claim takes them, until it is republished or purged
     * ({@link OutboxOperations}).
     */
    void markDead(OutboxEvent event, String error, Instant at);

    /** Gives claimed events back unpublished, to be claimed again at once. */
    void release(List<OutboxEvent> events);

    /** Deletes up to {@code limit} events published before {@code before}; returns how many. */
    int deletePublished(Instant before, int limit);

    /**
     * Asks to be told whenever events may have become claimable: after each commit that recorded events,
     * and after a dead event was republished or purged. The relay then wakes at once instead of at its
     * next poll; a store that cannot tell need not, since the relay polls as well.
     */
    default void onPending(Runnable listener) {
    }

    /**
     * Tells the store that this relay claims no more for now, so that the relays of other instances
     * take over its part of the outbox at once, not when its leases lapse (the package's
     * <a href="package-summary.html#buckets">buckets</a>). It may claim again later. A store whose
     * relays share nothing need not do anything.
     */
    default void leave() {
    }
}
