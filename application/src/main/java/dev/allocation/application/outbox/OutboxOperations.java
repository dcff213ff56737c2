package dev.allocation.application.outbox;

import java.time.Instant;
import java.util.List;

/**
 * The outbox as an operator sees it: how far the relay is behind, and the dead events (those the
 * publisher refused for good, which hold back the later events of their skus) to list, republish or
 * purge. What {@code AllocationService.outbox()}, the admin API and the meters take.
 */
public interface OutboxOperations {

    /**
     * The events waiting to be published at {@code now}, those held back behind a dead one included (the
     * age of the oldest grows while they wait), and those dead.
     */
    OutboxBacklog backlog(Instant now);

    /** The backlog now. */
    default OutboxBacklog backlog() {
        return backlog(Instant.now());
    }

    /** Up to {@code limit} dead events, oldest first, each with its attempts and last error. */
    List<OutboxEvent> dead(int limit);

    /**
     * Makes a dead event pending again, due at {@code now}, its attempts reset, in its place in its sku's
     * order: the later events of its sku, released, are published after it. False when no dead event has
     * that id.
     */
    boolean republish(String eventId, Instant now);

    /** {@link #republish(String, Instant)} now. */
    default boolean republish(String eventId) {
        return republish(eventId, Instant.now());
    }

    /** Deletes a dead event for good, releasing the later events of its sku; false when no dead event has that id. */
    boolean purge(String eventId);

    /** Deletes every dead event, releasing every sku held back; returns how many. */
    int purgeDead();
}
