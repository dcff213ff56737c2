package dev.allocation.application.unitofwork;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the allocations read model as a unit of work's events leave it: the batch that now holds
 * the order's line of this sku, or none ({@code batchRef} null). A unit of work writes these rows in the
 * same transaction as the product that raised the events.
 */
public record ViewChange(String orderId, String sku, String batchRef) {

    /** The rows {@code events} imply, one per (order, sku), as its last Allocated or Deallocated left it. */
    public static List<ViewChange> of(List<? extends Event> events) {
        Map<List<String>, ViewChange> last = new LinkedHashMap<>();
        for (Event event : events) {
            ViewChange change = event instanceof Allocated a ? new ViewChange(a.orderId(), a.sku(), a.batchRef())
                    : event instanceof Deallocated d ? new ViewChange(d.orderId(), d.sku(), null)
                    : null;
            if (change != null) {
                last.put(List.of(change.orderId(), change.sku()), change);
            }
        }
        return new ArrayList<>(last.values());
    }
}
