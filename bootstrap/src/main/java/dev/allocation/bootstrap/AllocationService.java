package dev.allocation.bootstrap;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.port.ExclusiveJobs;
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

    /**
     * Runs {@code job} on one instance at a time among the instances of this service that share its
     * storage (on PostgreSQL, under an advisory lock handed over when an instance stops or dies; on a
     * store only one process can use, at once). For consumers of channels that every subscriber
     * receives in full, such as Redis pub/sub: then each message is applied once, in order.
     *
     * @return what stops the job and lets another instance take it over
     */
    default AutoCloseable runExclusively(String name, ExclusiveJobs.Job job) {
        return ExclusiveJobs.ONLY_INSTANCE.runExclusively(name, job);
    }

    /** Releases what the service opened (never a DataSource the caller passed in). */
    @Override
    void close();
}
