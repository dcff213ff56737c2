package dev.allocation.adapters.http;

import dev.allocation.application.port.Outbox;
import dev.allocation.application.port.OutboxBacklog;
import dev.allocation.application.port.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An outbox with state for the admin API's tests: it holds {@link #dead} dead events (none listed),
 * publishes nothing, and a purge empties it.
 */
final class FakeOutbox implements Outbox {

    final AtomicInteger dead = new AtomicInteger();

    @Override
    public List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil) {
        return List.of();
    }

    @Override
    public void published(List<OutboxEvent> events, Instant at) {
    }

    @Override
    public void retryLater(OutboxEvent event, String error, Instant nextAttemptAt) {
    }

    @Override
    public void setAside(OutboxEvent event, String error, Instant at) {
    }

    @Override
    public void release(List<OutboxEvent> events) {
    }

    @Override
    public int deletePublished(Instant before, int limit) {
        return 0;
    }

    @Override
    public OutboxBacklog backlog(Instant now) {
        return new OutboxBacklog(0, Duration.ZERO, dead.get());
    }

    @Override
    public List<OutboxEvent> dead(int limit) {
        return List.of();
    }

    @Override
    public boolean republish(String eventId, Instant now) {
        return false;
    }

    @Override
    public boolean purge(String eventId) {
        return false;
    }

    @Override
    public int purgeDead() {
        return dead.getAndSet(0);
    }
}
