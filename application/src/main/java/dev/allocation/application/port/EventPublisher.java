package dev.allocation.application.port;

import dev.allocation.domain.events.Event;

/** Hands events to other systems (a message broker, say); in-process handlers do not go through it. */
public interface EventPublisher {

    /** Publishes the event for other systems. */
    void publish(Event event);

    /**
     * Publishes the event with the id the outbox gave it, the same for every delivery of that event, so
     * that a consumer can drop a repeat. Publishers that do not pass ids on need not override it.
     *
     * @throws RuntimeException when the event was not accepted: the relay tries again later
     */
    default void publish(String eventId, Event event) {
        publish(event);
    }
}
