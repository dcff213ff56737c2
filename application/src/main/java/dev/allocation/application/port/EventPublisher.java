package dev.allocation.application.port;

import dev.allocation.domain.events.Event;

/** Hands events to other systems (a message broker, say); in-process handlers do not go through it. */
public interface EventPublisher {

    /** Publishes the event for other systems. */
    void publish(Event event);
}
