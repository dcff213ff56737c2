package dev.allocation.application.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pending events one claim takes, the one rule every store applies (the first part of the
 * package's <a href="package-summary.html#order">order per sku</a>): walking the pending events in the
 * order they were recorded, an event is taken when it is due, every earlier pending event of its sku was
 * taken too, and no earlier event of its sku is dead ({@link #holdBack}). The walk starts from the oldest
 * pending event at every claim: it keeps no high-water mark, which could skip an event that committed
 * after a later one. It looks at no more than {@value #PAGES} times {@code limit} pending events, so that
 * a claim costs the same however large a backlog is. A store may leave out of the rest of its walk the
 * skus the claim already {@linkplain #waiting waits for}, since it would take none of their events: then
 * a long queue behind one waiting event does not use up the walk.
 */
public final class OutboxClaim {

    /** How many times its limit a claim looks at, at most, before it stops: the walk's bound. */
    public static final int PAGES = 4;

    private final int limit;
    private int offered;
    private final Instant now;
    private final Map<String, Long> firstDead = new HashMap<>();
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
     * Tells the claim, before the walk, of a dead event: no pending event of {@code sku} recorded after
     * {@code position} is taken. A store tells it of every dead event, or at least of each sku's oldest.
     */
    public void holdBack(String sku, long position) {
        firstDead.merge(sku, position, Math::min);
    }

    /**
     * Offers the next pending event, in the order recorded.
     *
     * @return false once the claim is full, or has looked at {@value #PAGES} times its limit
     */
    public boolean offer(OutboxEvent pending) {
        offered++;
        if (!waiting.contains(pending.sku())) {
            Long dead = firstDead.get(pending.sku());
            if (pending.isDue(now) && (dead == null || pending.position() < dead)) {
                taken.add(pending);
            } else {
                waiting.add(pending.sku());
            }
        }
        return taken.size() < limit && offered < PAGES * limit;
    }

    /** The skus of which the claim takes no further event: an earlier one waits, or is dead. */
    public Set<String> waiting() {
        return Set.copyOf(waiting);
    }

    /** The events taken, in the order offered. */
    public List<OutboxEvent> taken() {
        return List.copyOf(taken);
    }
}
