package dev.allocation.application.outbox;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.util.List;
import java.util.Optional;

/**
 * Which events leave the service through the outbox, of all those a command raised, and the sku their
 * order is kept by. The unit of work records these at commit, in the transaction of the change that
 * raised them ({@code AbstractUnitOfWork}); a store keys each row by its sku.
 */
public final class OutgoingEvents {

    private OutgoingEvents() {
    }

    /** The sku whose order {@code event} is published in; empty for an event that does not leave: not {@link Allocated}. */
    public static Optional<String> skuOf(Event event) {
        return event instanceof Allocated allocated ? Optional.of(allocated.sku()) : Optional.empty();
    }

    /** The events among {@code events} that leave the service, in the order given. */
    public static List<Event> of(List<? extends Event> events) {
        return events.stream().filter(event -> skuOf(event).isPresent()).map(Event.class::cast).toList();
    }
}
