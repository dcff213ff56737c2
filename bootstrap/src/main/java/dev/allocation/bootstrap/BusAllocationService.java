package dev.allocation.bootstrap;

import dev.allocation.application.AllocationView;
import dev.allocation.application.MessageBus;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.application.port.UnitOfWorkFactory;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service: the message bus for writes, the read model for reads. */
final class BusAllocationService implements AllocationService {

    private static final Logger log = LoggerFactory.getLogger(BusAllocationService.class);

    /** The storage a service runs on: its ports, a health probe, how its instances take turns, what to close. */
    record Storage(String description, UnitOfWorkFactory unitsOfWork, AllocationsReadModel readModel, Outbox outbox,
                   BooleanSupplier health, ExclusiveJobs exclusiveJobs, AutoCloseable resources) {
    }

    private final MessageBus bus;
    private final Storage storage;
    private final OutboxRelay relay;
    private final AtomicBoolean closed = new AtomicBoolean();

    BusAllocationService(MessageBus bus, Storage storage, OutboxRelay relay) {
        this.bus = bus;
        this.storage = storage;
        this.relay = relay;
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
            return !closed.get() && storage.health().getAsBoolean();
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
    public void close() {
        if (closed.compareAndSet(false, true)) {
            relay.close();
            try {
                storage.resources().close();
            } catch (Exception e) {
                log.warn("Closing the storage failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return storage.description();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This allocation service is closed");
        }
    }
}
