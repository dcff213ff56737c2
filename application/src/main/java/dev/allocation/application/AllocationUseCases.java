package dev.allocation.application;

import dev.allocation.domain.Message;
import java.util.List;

/**
 * What the outside world can ask of the allocation service: send it a message, read an order's
 * allocations, ask whether it is healthy. The driving adapters (HTTP, a message consumer) depend on
 * this, never on how it is composed.
 */
public interface AllocationUseCases {

    /**
     * Handles the command (or event) and every event it leads to; when it returns, the read model
     * and notifications reflect them.
     *
     * @throws RuntimeException the command handler's failure, unchanged (for example {@link InvalidSku})
     */
    void handle(Message message);

    /** Which batch holds each line of the order; empty when none. */
    List<AllocationView> allocations(String orderId);

    /** True when the storage answers; for health checks. */
    boolean isHealthy();
}
