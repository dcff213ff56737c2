package dev.allocation.application.port;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pending events one claim takes, so that every store applies one rule: walking the pending
 * events in the order they were recorded, an event is taken when it is due and every earlier pending
 * event of its sku was taken too. A sku whose oldest pending event waits (for its retry, or for the
 * relay that claimed it) takes no later event, so each sku's events reach the publisher in commit
 * order. The walk starts from the oldest pending event at every claim: it keeps no high-water mark,
 * which could skip an event that committed after a later one. It looks at no more than
 * {@value #PAGES} times {@code limit} pending events, so that a claim costs the same however large a
 * backlog is, and never holds a store up while it walks one.
 */
public final class OutboxClaim {

    /** How many times its limit a claim looks at, at most, before it stops: the walk's bound. */
    public static final int PAGES = 4;

    private final int limit;
    private int offered;
    private final Instant now;
    private final Set<String> waiting = new HashSet<>();
    private final List<OutboxEvent> taken = new ArrayList<>();

    /** A claim of at most {@code limit} events at {@code now}. */
    public OutboxClaim(int limit, Instant now) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.now = now;
    }

    /**
     * Offers the next pending event, in the order recorded.
     *
     * @return false once the claim is full, or has looked at {@value #PAGES} times its limit
     */
    public boolean offer(OutboxEvent pending) {
        offered++;
        if (!waiting.contains(pending.sku())) {
            if (pending.isDue(now)) {
                taken.add(pending);
            } else {
                waiting.add(pending.sku());
            }
        }
        return taken.size() < limit && offered < PAGES * limit;
    }

    /** The events taken, in the order offered. */
    public List<OutboxEvent> taken() {
        return List.copyOf(taken);
    }
}
