package dev.allocation.application;

import dev.allocation.domain.Message;
import java.util.List;

/** What the driving adapters (HTTP, a message consumer) can ask of the service, whatever its composition. */
public interface AllocationUseCases {

    /**
     * Handles the message and every event it leads to; when it returns, the read model and notifications
     * reflect them.
     *
     * @throws RuntimeException the command handler's failure, unchanged (for example {@link InvalidSku})
     */
    void handle(Message message);

    /** Which batch holds each line of the order; empty when none. */
    List<AllocationView> allocations(String orderId);
}
