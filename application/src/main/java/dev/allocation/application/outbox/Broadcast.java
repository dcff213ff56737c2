package dev.allocation.application.outbox;

import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Event;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Hands each event to every publisher it is given, at once: for a service whose events go to two
 * brokers (Redis and Kafka, say). Under the outbox the event counts as published when every publisher
 * accepted it. When one did not, the relay tries the event again on all of them, so a publisher that had
 * accepted it receives it again, with the same event id, and its consumers drop the repeat: at least
 * once, on each broker. The failure is transient while any publisher's is, so the event is retried for
 * as long as a broker is away; it is {@link PermanentPublishFailure permanent} (the event dead) only when
 * every publisher that refused it refused it for good.
 */
public final class Broadcast implements EventPublisher {

    private final List<EventPublisher> publishers;

    /**
     * @param publishers each a publisher of its own broker; at least one
     */
    public Broadcast(List<EventPublisher> publishers) {
        Objects.requireNonNull(publishers, "publishers must not be null");
        publishers.forEach(publisher -> Objects.requireNonNull(publisher, "a publisher must not be null"));
        if (publishers.isEmpty()) {
            throw new IllegalArgumentException("a broadcast needs at least one publisher");
        }
        this.publishers = List.copyOf(publishers);
    }

    @Override
    public void publish(Event event) {
        publishers.forEach(publisher -> publisher.publish(event));
    }

    @Override
    public void publish(String eventId, Event event) {
        try {
            publishAsync(eventId, event).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw OutboxRelay.unwrapped(e) instanceof RuntimeException failure ? failure : e;
        }
    }

    @Override
    public CompletionStage<Void> publishAsync(String eventId, Event event) {
        List<CompletableFuture<Void>> sent = publishers.stream().map(publisher -> started(publisher, eventId, event)).toList();
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).handle((done, any) -> {
            if (any == null) {
                return null;
            }
            List<Throwable> failures = sent.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .map(Broadcast::failure).toList();
            Throwable transientFailure = failures.stream()
                    .filter(failure -> !(failure instanceof PermanentPublishFailure)).findFirst().orElse(null);
            Throwable chosen = transientFailure != null ? transientFailure : failures.get(0);
            failures.stream().filter(failure -> failure != chosen).forEach(chosen::addSuppressed);
            throw chosen instanceof RuntimeException runtime ? runtime : new IllegalStateException(chosen);
        });
    }

    private static CompletableFuture<Void> started(EventPublisher publisher, String eventId, Event event) {
        try {
            return publisher.publishAsync(eventId, event).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable failure(CompletableFuture<Void> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (RuntimeException e) {
            return OutboxRelay.unwrapped(e);
        }
    }

    @Override
    public String toString() {
        return "each of " + publishers;
    }
}
