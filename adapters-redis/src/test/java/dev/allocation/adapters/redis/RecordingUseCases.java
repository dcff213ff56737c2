package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.UnknownBatch;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Use cases with state: records every message handled; refuses batch refs starting with "unknown";
 * holds a change of a batch ref starting with "slow" until {@link #slow} is counted down; finds
 * storage unavailable for the first {@link #outages} changes of a batch ref starting with "flaky".
 * Pub/sub channels are shared by every database of a Redis server, so a test on them records only the
 * batch refs it made ({@link #ownRefsOnly}, {@link #ref}): another run's messages may arrive too.
 */
final class RecordingUseCases implements AllocationUseCases {

    final BlockingQueue<Message> handled = new LinkedBlockingQueue<>();
    private final Set<String> ours;
    final CountDownLatch slow = new CountDownLatch(1);
    final AtomicInteger outages = new AtomicInteger(2);

    RecordingUseCases() {
        this(null);
    }

    private RecordingUseCases(Set<String> ours) {
        this.ours = ours;
    }

    /** Use cases that ignore every batch ref but those {@link #ref} made. */
    static RecordingUseCases ownRefsOnly() {
        return new RecordingUseCases(ConcurrentHashMap.newKeySet());
    }

    /** A new batch ref of this test's, starting with {@code prefix}. */
    String ref(String prefix) {
        String ref = prefix + "-" + UUID.randomUUID();
        if (ours != null) {
            ours.add(ref);
        }
        return ref;
    }

    /** Counts {@code ref} among this test's batch refs, for a ref made otherwise than by {@link #ref}. */
    void own(String ref) {
        ours.add(ref);
    }

    @Override
    public void handle(Message message) {
        if (ours != null && message instanceof ChangeBatchQuantity change && !ours.contains(change.ref())) {
            return;
        }
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("unknown")) {
            throw new UnknownBatch(change.ref());
        }
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("flaky")
                && outages.getAndDecrement() > 0) {
            throw new StorageUnavailable("the database is restarting", null);
        }
        if (message instanceof ChangeBatchQuantity change && change.ref().startsWith("slow")) {
            try {
                slow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handled.add(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        return List.of();
    }
}
