package dev.allocation.adapters.http;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.domain.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use cases with state for the adapter's tests: records what it handled (and logs it, as a real handler
 * would), fails or lags when told to.
 */
final class FakeUseCases implements AllocationUseCases {

    private static final Logger log = LoggerFactory.getLogger(FakeUseCases.class);

    final List<Message> handled = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    volatile RuntimeException failure;
    volatile Duration delay = Duration.ZERO;

    @Override
    public void handle(Message message) {
        log.debug("handling {}", message.getClass().getSimpleName());
        started.countDown();
        sleep();
        if (failure != null) {
            throw failure;
        }
        handled.add(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        started.countDown();
        sleep();
        if (failure != null) {
            throw failure;
        }
        return List.of(new AllocationView("LAMP", "batch-" + orderId));
    }

    private void sleep() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
