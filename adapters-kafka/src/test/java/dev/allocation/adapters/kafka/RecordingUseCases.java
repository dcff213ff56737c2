package dev.allocation.adapters.kafka;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.UnknownBatch;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Use cases with state: records every message handled; refuses batch refs starting with "unknown"; finds
 * storage unavailable for the first {@link #outages} changes of a batch ref starting with "flaky"; fails
 * unexpectedly, every time, for a batch ref starting with "poison"; holds a change of a batch ref starting with
 * "slow" until {@link #slow} is counted down.
 */
final class RecordingUseCases implements AllocationUseCases {

    final BlockingQueue<Message> handled;
    /** How many messages this one handled (into {@link #handled}, which others may share). */
    final AtomicInteger handledHere = new AtomicInteger();
    final AtomicInteger outages = new AtomicInteger(2);
    final AtomicInteger poisonAttempts = new AtomicInteger();
    final CountDownLatch slowEntered = new CountDownLatch(1);
    final CountDownLatch slow = new CountDownLatch(1);

    RecordingUseCases() {
        this(new LinkedBlockingQueue<>());
    }

    /** Use cases recording into {@code handled}, shared with others: several consumers of one group. */
    RecordingUseCases(BlockingQueue<Message> handled) {
        this.handled = handled;
    }

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
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("slow")) {
            slowEntered.countDown();
            try {
                slow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handled.add(message);
        handledHere.incrementAndGet();
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        return List.of();
    }
}
