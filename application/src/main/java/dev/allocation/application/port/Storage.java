package dev.allocation.application.port;

import dev.allocation.application.outbox.Outbox;

/**
 * One store, everything the service needs of it: units of work for commands, the read model for
 * queries, the outbox the relay drains, how instances sharing it take turns, and its health. Every
 * storage adapter implements it, and the composition root takes one.
 */
public interface Storage extends UnitOfWorkFactory {

    /** The read model, kept in this store and written in each command's transaction. */
    AllocationsReadModel readModel();

    /** The outbox, where each unit of work records, in its transaction, the events that leave the service. */
    Outbox outbox();

    /**
     * Runs jobs on one instance at a time among those sharing this store; by default the store is
     * one process's alone, and a job starts at once.
     */
    default ExclusiveJobs exclusiveJobs() {
        return ExclusiveJobs.ONLY_INSTANCE;
    }

    /** True when this store can serve commands; for readiness. Never throws. True by default. */
    default boolean isHealthy() {
        return true;
    }

    /** What this store is, for logs; its class name by default. */
    default String description() {
        return getClass().getSimpleName();
    }
}
