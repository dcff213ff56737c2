package dev.allocation.adapters.kafka;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.UnknownBatch;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Use cases with state: records every message handled; refuses batch refs starting with "unknown"; finds
 * storage unavailable for the first {@link #outages} changes of a batch ref starting with "flaky"; fails
 * unexpectedly, every time, for a batch ref starting with "poison".
 */
final class RecordingUseCases implements AllocationUseCases {

    final BlockingQueue<Message> handled = new LinkedBlockingQueue<>();
    final AtomicInteger outages = new AtomicInteger(2);
    final AtomicInteger poisonAttempts = new AtomicInteger();

    @Override
    public void handle(Message message) {
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("unknown")) {
            throw new UnknownBatch(change.ref());
        }
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("flaky")
                && outages.getAndDecrement() > 0) {
            throw new StorageUnavailable("the database is restarting", null);
        }
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("poison")) {
            poisonAttempts.incrementAndGet();
            throw new IllegalStateException("a bug meets " + change.ref());
        }
        handled.add(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        return List.of();
    }

    @Override
    public boolean isHealthy() {
        return true;
    }
}
