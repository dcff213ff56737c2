package dev.allocation.bootstrap;

import dev.allocation.application.AllocationView;
import dev.allocation.application.MessageBus;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.application.port.Storage;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service: the message bus for writes, the read model for reads. */
final class BusAllocationService implements AllocationService {

    private static final Logger log = LoggerFactory.getLogger(BusAllocationService.class);

    private final MessageBus bus;
    private final Storage storage;
    private final Supplier<OutboxRelay> relays;
    private OutboxRelay relay;   // guarded by this; null while stopped
    private final String description;
    private final AutoCloseable resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * {@code relays}: starts a relay on the storage's outbox (the service starts it when asked);
     * {@code resources}: what the service opened for its storage (a pool), closed with it.
     */
    BusAllocationService(MessageBus bus, Storage storage, Supplier<OutboxRelay> relays, String description,
                         AutoCloseable resources) {
        this.bus = bus;
        this.storage = storage;
        this.relays = relays;
        this.description = description;
        this.resources = resources;
    }

    @Override
    public void handle(Message message) {
        requireOpen();
        bus.handle(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        requireOpen();
        return storage.readModel().allocationsFor(Identifier.require(orderId, "orderId"));
    }

    @Override
    public boolean isHealthy() {
        try {
            return !closed.get() && storage.isHealthy();
        } catch (RuntimeException e) {
            log.warn("Health check failed: {}", e.toString());
            return false;
        }
    }

    @Override
    public AutoCloseable runExclusively(String name, ExclusiveJobs.Job job) {
        requireOpen();
        return storage.exclusiveJobs().runExclusively(name, job);
    }

    @Override
    public OutboxOperations outbox() {
        requireOpen();
        return storage.outbox();
    }

    @Override
    public synchronized void startRelay() {
        requireOpen();
        if (relay == null) {
            relay = relays.get();
        }
    }

    @Override
    public synchronized void stopRelay() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    @Override
    public synchronized boolean isRelayRunning() {
        return relay != null;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopRelay();
            try {
                resources.close();
            } catch (Exception e) {
                log.warn("Closing the storage failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This allocation service is closed");
        }
    }
}
