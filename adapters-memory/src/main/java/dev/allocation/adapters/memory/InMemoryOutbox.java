package dev.allocation.adapters.memory;

import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxClaim;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutgoingEvents;
import dev.allocation.domain.events.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outbox of {@link InMemoryStorage}: its events are recorded in the commit of their unit of work.
 * Pending, dead and published events are kept apart, so that no call walks more than it needs: the pending
 * events behind a dead one of their sku, which no claim takes, are kept out of the claims' walk too.
 * A published event is dropped, or, for a relay with a retention, only the time it was published is kept:
 * nothing reads a published event again, and an object kept for that long would be copied by every young
 * collection that it outlives, at the cost of the commands. Never more than {@value #MAX_PUBLISHED_KEPT}
 * such times are kept.
 */
final class InMemoryOutbox implements Outbox {

    /** One recorded event and how its publishing goes. */
    private static final class Entry {
        final long position;
        /** Drawn when the relay first looks at the event, not in the commit that records it. */
        private String eventId;
        final Event event;
        final String sku;
        final Instant recordedAt;
        int attempts;
        Instant nextAttemptAt;
        Instant claimedUntil;
        String lastError;

        Entry(long position, Event event, Instant recordedAt) {
            this.position = position;
            this.event = event;
            this.sku = OutgoingEvents.skuOf(event).orElseThrow();
            this.recordedAt = recordedAt;
            this.nextAttemptAt = recordedAt;
        }

        /** Its id, drawn on first use; called with the outbox's lock held, as everything here. */
        String eventId() {
            if (eventId == null) {
                eventId = UUID.randomUUID().toString();
            }
            return eventId;
        }

        OutboxEvent view() {
            return new OutboxEvent(position, eventId(), sku, event, recordedAt, attempts,
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
    /** The pending entries recorded after a dead one of their sku: no claim takes them, none walks them. */
    private final TreeMap<Long, Entry> held = new TreeMap<>();
    private final TreeMap<Long, Entry> dead = new TreeMap<>();
    /** The position of each sku's oldest dead entry. */
    private final Map<String, Long> firstDead = new HashMap<>();
    /** When each published event kept was published, oldest first: the oldest are deleted first. */
    private final PublishedTimes published = new PublishedTimes(MAX_PUBLISHED_KEPT);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.systemUTC();
    /**
     * The entries recorded since the relay last looked, in the order of their positions: a commit adds
     * to it without waiting for a claim in progress, and every call of the relay moves them in first.
     */
    private final ConcurrentLinkedQueue<Entry> recorded = new ConcurrentLinkedQueue<>();
    private final Object recording = new Object();
    private long lastPosition;

    /** Records the events of one commit; called inside the storage's commit. */
    void record(List<Event> events) {
        Instant now = clock.instant();
        synchronized (recording) {   // positions in the order queued
            for (Event event : events) {
                recorded.add(new Entry(++lastPosition, event, now));
            }
        }
    }

    /** Moves the entries recorded since into the pending ones, or the held ones behind a dead event of their sku. */
    private void takeRecorded() {
        for (Entry entry = recorded.poll(); entry != null; entry = recorded.poll()) {
            (firstDead.containsKey(entry.sku) ? held : pending).put(entry.position, entry);
        }
    }

    /** Tells the listeners that events were committed; called after the storage's commit. */
    void committed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onPending(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil) {
        takeRecorded();
        OutboxClaim claim = new OutboxClaim(limit, now);
        firstDead.forEach(claim::holdBack);
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
    public synchronized void markPublished(List<OutboxEvent> events, Instant at) {
        takeRecorded();
        for (OutboxEvent event : events) {
            if (removePending(event.position()) != null) {
                published.add(at);
            }
        }
    }

    @Override
    public synchronized void deletePublished(List<OutboxEvent> events) {
        takeRecorded();
        events.forEach(event -> removePending(event.position()));
    }

    @Override
    public synchronized void retryLater(OutboxEvent event, String error, Instant nextAttemptAt) {
        takeRecorded();
        Entry entry = pendingEntry(event.position());
        if (entry != null) {
            entry.attempts++;
            entry.lastError = error;
            entry.nextAttemptAt = nextAttemptAt;
            entry.claimedUntil = null;
        }
    }

    @Override
    public synchronized void markDead(OutboxEvent event, String error, Instant at) {
        takeRecorded();
        Entry entry = removePending(event.position());
        if (entry != null) {
            entry.attempts++;
            entry.lastError = error;
            entry.claimedUntil = null;
            dead.put(entry.position, entry);
            firstDead.merge(entry.sku, entry.position, Math::min);
            holdBack(entry.sku, entry.position);
        }
    }

    @Override
    public synchronized void release(List<OutboxEvent> events) {
        takeRecorded();
        for (OutboxEvent event : events) {
            Entry entry = pendingEntry(event.position());
            if (entry != null) {
                entry.claimedUntil = null;
            }
        }
    }

    @Override
    public synchronized int deletePublished(Instant before, int limit) {
        takeRecorded();
        return published.deleteBefore(before, limit);
    }

    @Override
    public synchronized OutboxBacklog backlog(Instant now) {
        takeRecorded();
        Instant oldest = null;
        for (TreeMap<Long, Entry> entries : List.of(pending, held)) {
            if (!entries.isEmpty() && (oldest == null || entries.firstEntry().getValue().recordedAt.isBefore(oldest))) {
                oldest = entries.firstEntry().getValue().recordedAt;
            }
        }
        Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, now);
        return new OutboxBacklog(pending.size() + held.size(), age, dead.size());
    }

    @Override
    public synchronized List<OutboxEvent> dead(int limit) {
        takeRecorded();
        return dead.values().stream().limit(limit).map(Entry::view).toList();
    }

    @Override
    public boolean republish(String eventId, Instant now) {
        return released(republished(eventId, now));
    }

    private synchronized boolean republished(String eventId, Instant now) {
        takeRecorded();
        Entry entry = deadEvent(eventId);
        if (entry == null) {
            return false;
        }
        dead.remove(entry.position);
        entry.attempts = 0;
        entry.nextAttemptAt = now;
        held.put(entry.position, entry);
        deadGone(entry.sku);
        return true;
    }

    @Override
    public boolean purge(String eventId) {
        return released(purged(eventId));
    }

    private synchronized boolean purged(String eventId) {
        takeRecorded();
        Entry entry = deadEvent(eventId);
        if (entry == null) {
            return false;
        }
        dead.remove(entry.position);
        deadGone(entry.sku);
        return true;
    }

    @Override
    public int purgeDead() {
        int purged;
        synchronized (this) {
            takeRecorded();
            purged = dead.size();
            dead.clear();
            firstDead.clear();
            pending.putAll(held);
            held.clear();
        }
        released(purged > 0);
        return purged;
    }

    /** Tells the listeners when a dead event was republished or purged, which releases its sku. */
    private boolean released(boolean any) {
        if (any) {
            listeners.forEach(Runnable::run);
        }
        return any;
    }

    /** The pending entry at {@code position}, held back or not; null when it is no longer pending. */
    private Entry pendingEntry(long position) {
        Entry entry = pending.get(position);
        return entry != null ? entry : held.get(position);
    }

    private Entry removePending(long position) {
        Entry entry = pending.remove(position);
        return entry != null ? entry : held.remove(position);
    }

    /** Moves the pending entries of {@code sku} recorded after {@code position} out of the claims' walk. */
    private void holdBack(String sku, long position) {
        Iterator<Entry> later = pending.tailMap(position, false).values().iterator();
        while (later.hasNext()) {
            Entry entry = later.next();
            if (entry.sku.equals(sku)) {
                later.remove();
                held.put(entry.position, entry);
            }
        }
    }

    /** After a dead entry of {@code sku} was republished or purged: gives back what no dead one holds now. */
    private void deadGone(String sku) {
        Long first = dead.values().stream().filter(entry -> entry.sku.equals(sku)).map(entry -> entry.position)
                .findFirst().orElse(null);
        if (first == null) {
            firstDead.remove(sku);
        } else {
            firstDead.put(sku, first);
        }
        Iterator<Entry> entries = held.values().iterator();
        while (entries.hasNext()) {
            Entry entry = entries.next();
            if (entry.sku.equals(sku) && (first == null || entry.position < first)) {
                entries.remove();
                pending.put(entry.position, entry);
            }
        }
    }

    private Entry deadEvent(String eventId) {
        return dead.values().stream().filter(entry -> entry.eventId().equals(eventId)).findFirst().orElse(null);
    }

    /**
     * The times at which the published events kept were published, oldest first, as numbers in a ring:
     * no object per event. Full, the oldest goes when another comes.
     */
    private static final class PublishedTimes {

        private final int bound;
        private long[] nanos = new long[16];   // since the epoch; grown as needed, up to the bound
        private int first;
        private int size;

        PublishedTimes(int bound) {
            this.bound = bound;
        }

        void add(Instant at) {
            if (size == bound) {
                first = (first + 1) % nanos.length;
                size--;
            } else if (size == nanos.length) {
                long[] grown = new long[Math.min(bound, nanos.length * 2)];
                for (int i = 0; i < size; i++) {
                    grown[i] = nanos[(first + i) % nanos.length];
                }
                nanos = grown;
                first = 0;
            }
            nanos[(first + size) % nanos.length] = epochNanos(at);
            size++;
        }

        /** Deletes up to {@code limit} of the oldest published before {@code before}; returns how many. */
        int deleteBefore(Instant before, int limit) {
            long cutoff = epochNanos(before);
            int deleted = 0;
            while (deleted < limit && size > 0 && nanos[first] < cutoff) {
                first = (first + 1) % nanos.length;
                size--;
                deleted++;
            }
            return deleted;
        }

        /** Nanoseconds since the epoch; an instant beyond the years 1677 to 2262 as the nearest of them. */
        private static long epochNanos(Instant at) {
            long seconds = Math.max(-9_223_372_035L, Math.min(9_223_372_035L, at.getEpochSecond()));
            return seconds * 1_000_000_000L + at.getNano();
        }
    }
}
