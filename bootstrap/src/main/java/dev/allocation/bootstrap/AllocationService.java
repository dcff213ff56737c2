package dev.allocation.bootstrap;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.domain.Message;
import java.util.List;

/**
 * The allocation service, ready to use: send it commands, read its views, close it when done.
 * Thread-safe. Built by {@link Bootstrap}.
 */
public interface AllocationService extends AllocationUseCases, AutoCloseable {

    /**
     * Handles the command (or event) and every event it leads to; when it returns, the read model
     * and notifications reflect them.
     *
     * @throws RuntimeException the command handler's failure, unchanged (for example
     *                          {@link dev.allocation.application.InvalidSku})
     */
    void handle(Message message);

    /** Which batch holds each line of the order; empty when none. */
    List<AllocationView> allocations(String orderId);

    /** True when the storage answers; for health checks. */
    boolean isHealthy();

    /** Releases what the service opened (never a DataSource the caller passed in). */
    @Override
    void close();
}
