package dev.allocation.domain.model;

import java.util.List;
import java.util.Optional;

/**
 * The order lines a {@link Batch} holds: the book's {@code _allocations}. A batch created in memory
 * holds them in memory ({@link #inMemory()}); a store supplies its own, which reads stored lines only
 * when asked and remembers what changed, so that an allocation never reads every line a batch holds.
 * The batch decides what to add or remove; this only keeps them.
 */
public interface Allocations {

    /** Lines held in memory, none yet. */
    static Allocations inMemory() {
        return new InMemoryAllocations();
    }

    /** The line held for {@code orderId}, if any. */
    Optional<OrderLine> lineFor(String orderId);

    /** Holds {@code line}, which holds no line of its order yet. */
    void add(OrderLine line);

    /** Stops holding {@code line}, which it holds. */
    void remove(OrderLine line);

    /** The sum of the lines' quantities, known without reading every line. */
    int quantity();

    /** Every line, oldest allocation first: reads them all, so only for a change that needs them. */
    List<OrderLine> oldestFirst();
}
