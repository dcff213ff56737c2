package dev.allocation.adapters.memory;

import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Event;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** A publisher that only records events, for tests to read back with {@link #published()}. Thread-safe. */
public final class InMemoryEventPublisher implements EventPublisher {

    private final List<Event> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Event event) {
        published.add(Objects.requireNonNull(event, "event must not be null"));
    }

    /** Every event published so far, oldest first. */
    public List<Event> published() {
        return List.copyOf(published);
    }
}
