package dev.allocation.bootstrap;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.domain.Message;
import java.util.List;

/**
 * The allocation service, ready to use: send it commands, read its views, close it when done.
 * Thread-safe. Built by {@link Bootstrap}.
 */
public interface AllocationService extends AllocationUseCases, AutoCloseable {

    @Override
    void handle(Message message);

    @Override
    List<AllocationView> allocations(String orderId);

    /**
     * Whether this service can serve now: it is open and its storage answers a real query (on a
     * database, one that reads every table it uses). For readiness checks: it never throws, and waits for
     * the storage a few seconds at most.
     */
    boolean isHealthy();

    /**
     * Runs {@code job} on one instance at a time among the instances of this service that share its
     * storage, such as the consumer of a Redis pub/sub channel, so that each message is applied once and
     * in order.
     *
     * @return what stops the job and lets another instance take it over
     */
    default AutoCloseable runExclusively(String name, ExclusiveJobs.Job job) {
        return ExclusiveJobs.ONLY_INSTANCE.runExclusively(name, job);
    }

    /**
     * This service's outbox, where the events that leave the service wait for its relay, as operators
     * see it: its backlog figures, and the dead events to list, republish or purge.
     */
    default OutboxOperations outbox() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " relays no outbox");
    }

    /**
     * Starts the outbox relay, which hands the recorded events to the publisher until
     * {@link #stopRelay()} or {@link #close()}; nothing when it runs already. {@link Bootstrap} starts it
     * at build unless told to defer it ({@link Bootstrap.Builder#deferRelay()}).
     *
     * @throws IllegalStateException when the service is closed
     */
    default void startRelay() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " relays no outbox");
    }

    /**
     * Stops the outbox relay, as {@link #close()} does first: a publish in progress finishes (within the
     * relay's stop grace), and the events it claimed are left for a relay to publish later. Commands are
     * still handled, their events recorded. Nothing when it is stopped already; {@link #startRelay()}
     * starts it again.
     */
    default void stopRelay() {
    }

    /** Whether the outbox relay runs. */
    default boolean isRelayRunning() {
        return false;
    }

    /** Stops the outbox relay, then releases what the service opened (never a DataSource the caller passed in). */
    @Override
    void close();
}
