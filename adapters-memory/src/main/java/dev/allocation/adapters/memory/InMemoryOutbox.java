package dev.allocation.adapters.memory;

import dev.allocation.application.port.Outbox;
import dev.allocation.application.port.OutboxBacklog;
import dev.allocation.application.port.OutboxClaim;
import dev.allocation.application.port.OutboxEvent;
import dev.allocation.domain.events.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The outbox of {@link InMemoryStorage}: its events are recorded in the commit of their unit of work. */
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

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    /** The pending entries alone, which every claim walks: published ones must not slow it down. */
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.systemUTC();
    private long lastPosition;

    /** Records the events of one commit; called inside the storage's commit. */
    synchronized void record(List<Event> events) {
        Instant now = clock.instant();
        for (Event event : events) {
            long position = ++lastPosition;
            Entry entry = new Entry(position, event, now);
            entries.put(position, entry);
            pending.put(position, entry);
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
            Entry entry = entries.get(event.position());
            entry.claimedUntil = claimUntil;
            return entry.view();
        }).toList();
    }

    @Override
    public synchronized void published(List<OutboxEvent> events, Instant at) {
        change(events, entry -> {
            entry.state = State.PUBLISHED;
            entry.doneAt = at;
            pending.remove(entry.position);
        });
    }

    @Override
    public synchronized void retryLater(OutboxEvent event, String error, Instant nextAttemptAt) {
        change(List.of(event), entry -> {
            entry.attempts++;
            entry.lastError = error;
            entry.nextAttemptAt = nextAttemptAt;
        });
    }

    @Override
    public synchronized void setAside(OutboxEvent event, String error, Instant at) {
        change(List.of(event), entry -> {
            entry.attempts++;
            entry.lastError = error;
            entry.state = State.DEAD;
            entry.doneAt = at;
            pending.remove(entry.position);
        });
    }

    @Override
    public synchronized void release(List<OutboxEvent> events) {
        change(events, entry -> { });
    }

    @Override
    public synchronized int deletePublished(Instant before, int limit) {
        // entries are in the order recorded, and none was published before it was recorded
        List<Long> doomed = entries.values().stream().takeWhile(entry -> entry.recordedAt.isBefore(before))
                .filter(entry -> entry.state == State.PUBLISHED && entry.doneAt.isBefore(before))
                .limit(limit).map(entry -> entry.position).toList();
        doomed.forEach(entries::remove);
        return doomed.size();
    }

    @Override
    public synchronized OutboxBacklog backlog(Instant now) {
        long dead = entries.values().stream().filter(entry -> entry.state == State.DEAD).count();
        Duration age = pending.isEmpty() ? Duration.ZERO
                : Duration.between(pending.firstEntry().getValue().recordedAt, now);
        return new OutboxBacklog(pending.size(), age, dead);
    }

    @Override
    public synchronized List<OutboxEvent> dead(int limit) {
        return entries.values().stream().filter(entry -> entry.state == State.DEAD).limit(limit).map(Entry::view)
                .toList();
    }

    @Override
    public synchronized boolean republish(String eventId, Instant now) {
        for (Entry entry : entries.values()) {
            if (entry.state == State.DEAD && entry.eventId.equals(eventId)) {
                entry.state = State.PENDING;
                entry.attempts = 0;
                entry.nextAttemptAt = now;
                entry.doneAt = null;
                pending.put(entry.position, entry);
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized boolean purge(String eventId) {
        return delete(entry -> entry.state == State.DEAD && entry.eventId.equals(eventId), 1) > 0;
    }

    @Override
    public synchronized int purgeDead() {
        return delete(entry -> entry.state == State.DEAD, Integer.MAX_VALUE);
    }

    /** Applies a change to each claimed event still here, and ends its claim. */
    private void change(List<OutboxEvent> events, Consumer<Entry> change) {
        for (OutboxEvent event : events) {
            Entry entry = entries.get(event.position());
            if (entry != null) {
                change.accept(entry);
                entry.claimedUntil = null;
            }
        }
    }

    private int delete(Predicate<Entry> condition, int limit) {
        List<Long> doomed = entries.values().stream().filter(condition).limit(limit).map(entry -> entry.position)
                .toList();
        doomed.forEach(entries::remove);
        return doomed.size();
    }
}
