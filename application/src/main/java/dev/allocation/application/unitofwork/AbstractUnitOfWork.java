package dev.allocation.application.unitofwork;

import dev.allocation.application.outbox.OutgoingEvents;
import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Product;
import java.util.ArrayList;
import java.util.List;

/**
 * The book's {@code AbstractUnitOfWork}: what every unit of work does alike, so that a storage adapter
 * only says how to save and how to discard. It commits at most once, is over once committed, rolled
 * back or closed, and is the one place that collects the new events of the products it has seen: at
 * commit, those that leave the service ({@link OutgoingEvents}) go to the storage's outbox, in the same
 * transaction.
 */
public abstract class AbstractUnitOfWork implements UnitOfWork {

    private final List<Event> committedEvents = new ArrayList<>();
    private boolean over;

    @Override
    public final ProductRepository products() {
        requireOpen();
        return repository();
    }

    @Override
    public final void commit() {
        requireOpen();
        over = true;
        List<Product> seen = List.copyOf(repository().seen());
        save(seen, OutgoingEvents.of(seen.stream().flatMap(product -> product.events().stream()).toList()));
        seen.forEach(product -> committedEvents.addAll(product.collectEvents()));
    }

    @Override
    public final void rollback() {
        over = true;
        discard();
    }

    @Override
    public final List<Event> collectNewEvents() {
        List<Event> events = List.copyOf(committedEvents);
        committedEvents.clear();
        return events;
    }

    @Override
    public final void close() {
        rollback();
    }

    /** The adapter's repository, whose seen products this class collects events from at commit. */
    protected abstract AbstractRepository repository();

    /**
     * Saves every product seen, all or nothing, with the read-model rows their events imply
     * ({@link ViewChange}), and records {@code outgoing} in the outbox, in the same transaction.
     *
     * @param outgoing the events of these products that leave the service ({@link OutgoingEvents#of})
     * @throws dev.allocation.application.port.ConcurrencyConflict when a product changed in storage since it was loaded; nothing is saved
     */
    protected abstract void save(List<Product> seen, List<Event> outgoing);

    /** Discards whatever was not committed and releases what the unit holds; may be called again. */
    protected abstract void discard();

    /** True until the unit commits, rolls back or closes. */
    protected final boolean isOpen() {
        return !over;
    }

    /** @throws IllegalStateException when the unit is over */
    protected final void requireOpen() {
        if (over) {
            throw new IllegalStateException("This unit of work has committed, rolled back or closed already");
        }
    }
}
