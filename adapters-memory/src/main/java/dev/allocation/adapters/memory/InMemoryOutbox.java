package dev.allocation.adapters.memory;

import dev.allocation.application.port.Outbox;
import dev.allocation.application.port.OutboxBacklog;
import dev.allocation.application.port.OutboxClaim;
import dev.allocation.application.port.OutboxEvent;
import dev.allocation.domain.events.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outbox of {@link InMemoryStorage}: its events are recorded in the commit of their unit of work.
 * Pending, dead and published events are kept apart, so that no call walks more than it needs; published
 * events are kept for their retention, and never more than {@value #MAX_PUBLISHED_KEPT} of them.
 */
final class InMemoryOutbox implements Outbox {

    private enum State { PENDING, PUBLISHED, DEAD }

    /** One recorded event and how its publishing goes. */
    private static final class Entry {
        final long position;
        final String eventId = UUID.randomUUID().toString();
        final Event event;
        final Instant recordedAt;
        State state = State.PENDING;
        int attempts;
        Instant nextAttemptAt;
        Instant claimedUntil;
        String lastError;
        Instant doneAt;

        Entry(long position, Event event, Instant recordedAt) {
            this.position = position;
            this.event = event;
            this.recordedAt = recordedAt;
            this.nextAttemptAt = recordedAt;
        }

        OutboxEvent view() {
            return new OutboxEvent(position, eventId, Outbox.keyOf(event).orElseThrow(), event, recordedAt, attempts,
                    nextAttemptAt, claimedUntil, lastError);
        }
    }

    /**
     * Published events kept for their retention, at most this many: beyond, the oldest go first, so that
     * a store in memory stays bounded however fast events flow.
     */
    static final int MAX_PUBLISHED_KEPT = 100_000;

    /** The pending entries, which every claim walks in the order recorded. */
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    private final TreeMap<Long, Entry> dead = new TreeMap<>();
    /** The published entries, in the order published: the oldest are deleted first. */
    private final ArrayDeque<Entry> published = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.systemUTC();
    private long lastPosition;

    /** Records the events of one commit; called inside the storage's commit. */
    synchronized void record(List<Event> events) {
        Instant now = clock.instant();
        for (Event event : events) {
            long position = ++lastPosition;
            pending.put(position, new Entry(position, event, now));
        }
    }

    /** Tells the listeners that events were committed; called after the storage's commit. */
    void committed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onRecorded(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil) {
        OutboxClaim claim = new OutboxClaim(limit, now);
        for (Entry entry : pending.values()) {
            if (!claim.offer(entry.view())) {
                break;
            }
        }
        return claim.taken().stream().map(event -> {
            Entry entry = pending.get(event.position());
            entry.claimedUntil = claimUntil;
            return entry.view();
        }).toList();
    }

    @Override
    public synchronized void published(List<OutboxEvent> events, Instant at) {
        for (OutboxEvent event : events) {
            Entry entry = pending.remove(event.position());
            if (entry != null) {
                entry.state = State.PUBLISHED;
                entry.doneAt = at;
                entry.claimedUntil = null;
                published.addLast(entry);
            }
        }
        while (published.size() > MAX_PUBLISHED_KEPT) {
            published.pollFirst();
        }
    }

    @Override
    public synchronized void retryLater(OutboxEvent event, String error, Instant nextAttemptAt) {
        Entry entry = pending.get(event.position());
        if (entry != null) {
            entry.attempts++;
            entry.lastError = error;
            entry.nextAttemptAt = nextAttemptAt;
            entry.claimedUntil = null;
        }
    }

    @Override
    public synchronized void setAside(OutboxEvent event, String error, Instant at) {
        Entry entry = pending.remove(event.position());
        if (entry != null) {
            entry.attempts++;
            entry.lastError = error;
            entry.state = State.DEAD;
            entry.doneAt = at;
            entry.claimedUntil = null;
            dead.put(entry.position, entry);
        }
    }

    @Override
    public synchronized void release(List<OutboxEvent> events) {
        for (OutboxEvent event : events) {
            Entry entry = pending.get(event.position());
            if (entry != null) {
                entry.claimedUntil = null;
            }
        }
    }

    @Override
    public synchronized int deletePublished(Instant before, int limit) {
        int deleted = 0;
        while (deleted < limit && !published.isEmpty() && published.peekFirst().doneAt.isBefore(before)) {
            published.pollFirst();
            deleted++;
        }
        return deleted;
    }

    @Override
    public synchronized OutboxBacklog backlog(Instant now) {
        Duration age = pending.isEmpty() ? Duration.ZERO
                : Duration.between(pending.firstEntry().getValue().recordedAt, now);
        return new OutboxBacklog(pending.size(), age, dead.size());
    }

    @Override
    public synchronized List<OutboxEvent> dead(int limit) {
        return dead.values().stream().limit(limit).map(Entry::view).toList();
    }

    @Override
    public synchronized boolean republish(String eventId, Instant now) {
        Entry entry = deadEvent(eventId);
        if (entry == null) {
            return false;
        }
        dead.remove(entry.position);
        entry.state = State.PENDING;
        entry.attempts = 0;
        entry.nextAttemptAt = now;
        entry.doneAt = null;
        pending.put(entry.position, entry);
        return true;
    }

    @Override
    public synchronized boolean purge(String eventId) {
        Entry entry = deadEvent(eventId);
        return entry != null && dead.remove(entry.position) != null;
    }

    @Override
    public synchronized int purgeDead() {
        int purged = dead.size();
        dead.clear();
        return purged;
    }

    private Entry deadEvent(String eventId) {
        return dead.values().stream().filter(entry -> entry.eventId.equals(eventId)).findFirst().orElse(null);
    }
}
