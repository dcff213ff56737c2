package dev.allocation.application.port;

import dev.allocation.domain.events.Event;
import java.util.List;

/**
 * One atomic change to storage: everything done through {@link #products()} is saved by
 * {@link #commit()}, all or nothing, or discarded. Closing a unit that was not committed rolls it back.
 * A unit commits at most once and is used by one thread.
 */
public interface UnitOfWork extends AutoCloseable {

    /** The products, read and written in this unit of work. */
    ProductRepository products();

    /**
     * Saves every product this unit has seen, all or nothing.
     *
     * @throws ConcurrencyConflict   when a product changed in storage since this unit loaded it; nothing
     *                               is saved and the whole command may be retried
     * @throws IllegalStateException when the unit has committed, rolled back or closed already
     */
    void commit();

    /** Discards every change; the unit cannot commit afterwards. */
    void rollback();

    /** The events raised by the products this unit committed, oldest first; each is handed over once. */
    List<Event> collectNewEvents();

    /** Rolls back unless committed, and releases what the unit holds (a connection, say). */
    @Override
    void close();
}
