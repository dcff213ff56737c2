package dev.allocation.adapters.http;

import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutboxOperations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An outbox with state for the admin API's tests: it holds {@link #dead} dead events (none listed), and a
 * purge empties it.
 */
final class FakeOutbox implements OutboxOperations {

    final AtomicInteger dead = new AtomicInteger();

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
