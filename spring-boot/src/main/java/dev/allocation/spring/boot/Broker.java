package dev.allocation.spring.boot;

import dev.allocation.application.outbox.Broadcast;
import dev.allocation.application.port.EventPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A broker the auto-configuration connected (Redis, Kafka), as the rest of it needs one without knowing
 * its adapter: the name it has in health, where the outbox's events go, and whether it answers now.
 * A bean of this type per broker; the service publishes to every one of them.
 */
record Broker(String name, EventPublisher publisher, Supplier<CompletableFuture<Boolean>> answers) {

    /** How long health waits for a broker's answer, beyond the adapter's own bound (a second). */
    private static final long ANSWER_WAIT_SECONDS = 2;

    /** Where the outbox's events go: the one broker's publisher, or every broker's at once. */
    static EventPublisher publisherOf(List<Broker> brokers) {
        return brokers.size() == 1 ? brokers.get(0).publisher()
                : new Broadcast(brokers.stream().map(Broker::publisher).toList());
    }

    /** Whether it answered {@code asked} in time; never throws. */
    static boolean answered(CompletableFuture<Boolean> asked) {
        try {
            return Boolean.TRUE.equals(asked.get(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
