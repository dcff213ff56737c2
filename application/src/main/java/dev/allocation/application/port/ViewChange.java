package dev.allocation.application.port;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the allocations read model as a unit of work's events leave it: the batch that now holds
 * the order's line of this sku, or none ({@code batchRef} null). A unit of work writes these rows in
 * the same transaction as the product that raised the events, so that the read model agrees with the
 * store as soon as the command returns.
 */
public record ViewChange(String orderId, String sku, String batchRef) {

    public ViewChange {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(sku, "sku must not be null");
    }

    /**
     * The rows that {@code events} imply, one per (order, sku), each as the last of its events left it:
     * {@link Allocated} holds the line in its batch, {@link Deallocated} holds it nowhere.
     */
    public static List<ViewChange> of(List<? extends Event> events) {
        Map<List<String>, ViewChange> last = new LinkedHashMap<>();
        for (Event event : events) {
            if (event instanceof Allocated allocated) {
                last.put(List.of(allocated.orderId(), allocated.sku()),
                        new ViewChange(allocated.orderId(), allocated.sku(), allocated.batchRef()));
            } else if (event instanceof Deallocated deallocated) {
                last.put(List.of(deallocated.orderId(), deallocated.sku()),
                        new ViewChange(deallocated.orderId(), deallocated.sku(), null));
            }
        }
        return new ArrayList<>(last.values());
    }
}
